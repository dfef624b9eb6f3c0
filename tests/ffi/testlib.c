/* A C library for the FFI tests (crates/seam/tests/ffi/): structs and unions by value,
 * arrays, callbacks on the calling thread and on other threads, errno, and a blocking
 * wait that only another Scheme task can end. Built by the tests with
 * cc -shared -fPIC -O2 -pthread. */

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int add(int a, int b) { return a + b; }

unsigned char add_u8(unsigned char a, unsigned char b) { return (unsigned char)(a + b); }

long long mul_i64(long long a, long long b) { return a * b; }

double scale(double x, float factor) { return x * factor; }

/* Eight double arguments, more than the direct call paths take. */
double sum8(double a, double b, double c, double d, double e, double f, double g, double h) {
    return a + b + c + d + e + f + g + h;
}

/* --- structs by value --- */

struct point { int x; int y; };

struct point make_point(int x, int y) { struct point p = { x, y }; return p; }

int point_sum(struct point p) { return p.x + p.y; }

struct point point_add(struct point a, struct point b) {
    struct point p = { a.x + b.x, a.y + b.y };
    return p;
}

/* Mixed members with padding: d at 0, c at 8, i at 12; 16 bytes. */
struct mixed { double d; char c; int i; };

struct mixed make_mixed(double d, char c, int i) { struct mixed m = { d, c, i }; return m; }

double mixed_total(struct mixed m) { return m.d + m.c + m.i; }

struct mixed mixed_bump(struct mixed m) {
    m.d += 1.0; m.c += 1; m.i += 1;
    return m;
}

/* Bigger than 16 bytes: passed and returned in memory on x86-64 and AArch64. */
struct big { long a; long b; long c; double d; char tag[8]; };

struct big make_big(long a, long b, long c, double d) {
    struct big s = { a, b, c, d, "big" };
    return s;
}

double big_sum(struct big s) { return (double)(s.a + s.b + s.c) + s.d + (double)strlen(s.tag); }

/* A struct holding an array. */
struct vec3 { double v[3]; };

double vec3_dot(struct vec3 a, struct vec3 b) {
    return a.v[0] * b.v[0] + a.v[1] * b.v[1] + a.v[2] * b.v[2];
}

struct vec3 vec3_cross(struct vec3 a, struct vec3 b) {
    struct vec3 r = { { a.v[1] * b.v[2] - a.v[2] * b.v[1],
                        a.v[2] * b.v[0] - a.v[0] * b.v[2],
                        a.v[0] * b.v[1] - a.v[1] * b.v[0] } };
    return r;
}

/* Through a pointer: the callee writes the caller's struct. */
void point_swap(struct point *p) { int t = p->x; p->x = p->y; p->y = t; }

/* --- unions --- */

union number { int64_t i; double d; };

union number number_from_double(double d) { union number n; n.d = d; return n; }

int64_t number_bits(union number n) { return n.i; }

void number_set_int(union number *n, int64_t i) { n->i = i; }

/* --- arrays --- */

int sum_ints(const int *xs, int n) {
    int total = 0;
    for (int i = 0; i < n; i++) total += xs[i];
    return total;
}

void fill_squares(int *out, int n) {
    for (int i = 0; i < n; i++) out[i] = i * i;
}

/* --- pointers and strings --- */

void *identity(void *p) { return p; }

const char *greeting(void) { return "hello from C"; }

const char *null_string(void) { return NULL; }

/* --- errno --- */

int set_errno(int e) { errno = e; return -1; }

/* --- callbacks on the calling thread --- */

int apply_twice(int (*f)(int), int x) { return f(f(x)); }

double apply_double(double (*f)(double, double), double a, double b) { return f(a, b); }

int point_apply(int (*f)(struct point), int x, int y) {
    struct point p = { x, y };
    return f(p);
}

/* Calls f n times with 0..n-1 and sums the results. */
int sum_calls(int (*f)(int), int n) {
    int total = 0;
    for (int i = 0; i < n; i++) total += f(i);
    return total;
}

/* --- callbacks from other threads --- */

struct int_call { int (*f)(int); int x; int result; };

static void *run_int_call(void *arg) {
    struct int_call *call = arg;
    call->result = call->f(call->x);
    return NULL;
}

/* Calls f(x) on a new thread and returns its result. */
int call_on_thread(int (*f)(int), int x) {
    struct int_call call = { f, x, 0 };
    pthread_t thread;
    if (pthread_create(&thread, NULL, run_int_call, &call) != 0) return -1;
    pthread_join(thread, NULL);
    return call.result;
}

struct void_call { void (*f)(int); int x; };

static void *run_void_call(void *arg) {
    struct void_call *call = arg;
    call->f(call->x);
    return NULL;
}

/* Calls the void callback f(x) on a new thread and waits for the thread. */
void notify_on_thread(void (*f)(int), int x) {
    struct void_call call = { f, x };
    pthread_t thread;
    if (pthread_create(&thread, NULL, run_void_call, &call) != 0) return;
    pthread_join(thread, NULL);
}

/* --- a flag one Scheme task waits for and another sets --- */

static pthread_mutex_t flag_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flag_set = PTHREAD_COND_INITIALIZER;
static int flag_value = 0;

/* Waits until set_flag is called and returns its value (then clears it). Gives up after 30
 * seconds and returns -1, so a broken scheduler fails the test instead of hanging it. */
int wait_for_flag(void) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 30;
    pthread_mutex_lock(&flag_lock);
    int waited = 0;
    while (flag_value == 0 && waited == 0)
        waited = pthread_cond_timedwait(&flag_set, &flag_lock, &deadline);
    int value = flag_value != 0 ? flag_value : -1;
    flag_value = 0;
    pthread_mutex_unlock(&flag_lock);
    return value;
}

void set_flag(int value) {
    pthread_mutex_lock(&flag_lock);
    flag_value = value;
    pthread_cond_broadcast(&flag_set);
    pthread_mutex_unlock(&flag_lock);
}

/* --- memory with a C finalizer --- */

static long live_buffers = 0;

void *buffer_new(size_t n) {
    __atomic_add_fetch(&live_buffers, 1, __ATOMIC_SEQ_CST);
    return calloc(n, 1);
}

void buffer_release(void *p) {
    __atomic_sub_fetch(&live_buffers, 1, __ATOMIC_SEQ_CST);
    free(p);
}

long buffers_live(void) { return __atomic_load_n(&live_buffers, __ATOMIC_SEQ_CST); }
