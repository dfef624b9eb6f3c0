//! Compiler from core forms to bytecode.
