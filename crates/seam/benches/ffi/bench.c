/* The C side of the FFI benchmarks (crates/seam/benches/ffi.rs and benches/peers): functions
   small enough that a call measures the FFI, not the work. Built with cc -shared -fPIC -O2. */

int add(int a, int b) { return a + b; }
