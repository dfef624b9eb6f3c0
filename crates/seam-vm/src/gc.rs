//! The collector: precise mark and sweep over the pair and object arenas. Marking uses an
//! explicit work list (no recursion, so long lists and deep structures cannot overflow the
//! Rust stack); cycles are collected like everything else. Freed slots go on free lists.
//! Symbols are marked too: the symbol table is weak (see `heap.rs`), so a symbol no root
//! reaches is removed from it.

use std::sync::Arc;

use crate::heap::{object_size, symbol_size, Heap, PAIR_BYTES};
use crate::object::{Frame, Object};
use crate::port::PortKind;
use crate::value::{Value, Word};

fn test_and_set(marks: &mut [u64], index: u32) -> bool {
    let (word, bit) = ((index / 64) as usize, index % 64);
    let was = marks[word] & (1 << bit) != 0;
    marks[word] |= 1 << bit;
    was
}

fn is_set(marks: &[u64], index: usize) -> bool {
    marks[index / 64] & (1 << (index % 64)) != 0
}

impl Heap {
    /// Collects everything not reachable from `roots`, the `frames`' code, and the stored
    /// words of `words` (the value stack, the global slots). Only the VM calls it, with
    /// all of its roots: a collection that missed one would free code a frame still runs
    /// (hosts call `Vm::collect_garbage`).
    pub(crate) fn collect(&mut self, roots: &[Value], frames: &[Frame], words: &[&[Word]]) {
        self.pair_marks.clear();
        self.pair_marks.resize(self.pairs.len().div_ceil(64), 0);
        self.object_marks.clear();
        self.object_marks.resize(self.objects.len().div_ceil(64), 0);
        self.symbol_marks.clear();
        self.symbol_marks.resize(self.symbols.len().div_ceil(64), 0);
        let mut work: Vec<Word> = Vec::with_capacity(256);
        work.extend(roots.iter().filter_map(reference));
        work.extend(words.iter().flat_map(|ws| ws.iter()).copied().filter(|w| w.is_reference()));
        work.extend(frames.iter().filter(|f| f.code != Frame::HOST).map(|f| Word::object(f.code)));
        while let Some(w) = work.pop() {
            if let Some(mut p) = w.pair_index() {
                // Walk down the cdr chain directly: long lists stay cheap on the work list.
                loop {
                    if test_and_set(&mut self.pair_marks, p) {
                        break;
                    }
                    let [car, cdr] = self.pairs[p as usize];
                    match car.symbol_index() {
                        Some(s) => _ = test_and_set(&mut self.symbol_marks, s),
                        None if car.is_reference() => work.push(car),
                        None => {}
                    }
                    match cdr.pair_index() {
                        Some(next) => p = next,
                        None => {
                            match cdr.symbol_index() {
                                Some(s) => _ = test_and_set(&mut self.symbol_marks, s),
                                None if cdr.is_reference() => work.push(cdr),
                                None => {}
                            }
                            break;
                        }
                    }
                }
            } else if let Some(i) = w.object_index() {
                if test_and_set(&mut self.object_marks, i) {
                    continue;
                }
                if let Some(o) = &self.objects[i as usize] {
                    trace(o, &mut work);
                }
            } else if let Some(s) = w.symbol_index() {
                test_and_set(&mut self.symbol_marks, s);
            }
        }
        self.sweep();
        self.collections += 1;
    }

    fn sweep(&mut self) {
        let mut live = self.pinned;
        self.pair_free.clear();
        for i in 0..self.pairs.len() {
            if is_set(&self.pair_marks, i) {
                live += PAIR_BYTES;
            } else {
                self.pairs[i] = [Word::NULL, Word::NULL];
                self.pair_free.push(i as u32);
            }
        }
        // Shrink trailing free pair space so a burst of garbage does not pin memory forever.
        while self.pairs.len() > 1024 && !is_set(&self.pair_marks, self.pairs.len() - 1) {
            self.pairs.pop();
        }
        let pairs_len = self.pairs.len() as u32;
        self.pair_free.retain(|&i| i < pairs_len);
        self.pair_free.reverse();

        self.object_free.clear();
        for i in 0..self.objects.len() {
            if is_set(&self.object_marks, i) {
                if let Some(o) = &self.objects[i] {
                    live += object_size(o);
                }
            } else {
                self.objects[i] = None;
                self.object_free.push(i as u32);
            }
        }
        while self.objects.len() > 1024 && self.objects.last().is_some_and(Option::is_none) {
            self.objects.pop();
        }
        let objects_len = self.objects.len() as u32;
        self.object_free.retain(|&i| i < objects_len);
        self.object_free.reverse();
        self.sweep_constants();
        self.pairs.shrink_to(self.pairs.len() * 2);
        self.objects.shrink_to(self.objects.len() * 2);
        live += self.sweep_symbols();

        self.live_bytes = live;
        self.allocated = 0;
        self.set_threshold();
    }

    /// Frees the symbols the mark phase did not reach (removing their names from the intern
    /// map) and returns the bytes the live ones hold.
    fn sweep_symbols(&mut self) -> usize {
        let mut live = 0usize;
        self.symbol_free.clear();
        for i in 0..self.symbols.len() {
            let name = &self.symbols[i];
            if is_set(&self.symbol_marks, i) {
                live += symbol_size(name);
                continue;
            }
            if !Arc::ptr_eq(name, &self.free_name) {
                self.symbol_ids.remove(&**name);
                self.symbols[i] = self.free_name.clone();
            }
            self.symbol_free.push(i as u32);
        }
        while self.symbols.last().is_some_and(|n| Arc::ptr_eq(n, &self.free_name)) {
            self.symbols.pop();
        }
        let symbols_len = self.symbols.len() as u32;
        self.symbol_free.retain(|&i| i < symbols_len);
        self.symbol_free.reverse();
        self.symbols.shrink_to(self.symbols.len() * 2);
        self.symbol_ids.shrink_to(self.symbol_ids.len() * 2);
        live
    }
}

/// The words of `ws` that refer to the heap.
fn words(ws: &[Word]) -> impl Iterator<Item = Word> + '_ {
    ws.iter().copied().filter(|w| w.is_reference())
}

fn trace(o: &Object, work: &mut Vec<Word>) {
    match o {
        Object::String(_)
        | Object::Bytevector(_)
        | Object::Bignum(_)
        | Object::Rational(_)
        | Object::Complex(_) => {}
        Object::RecordType(_)
        | Object::Environment(_)
        | Object::Syntax(_)
        | Object::Host(_)
        | Object::HostObject(_) => {}
        Object::Task(t) => {
            if let Some(Ok(v) | Err(v)) = &t.result {
                work.extend(reference(v));
            }
        }
        Object::Channel(c) => work.extend(c.queue.iter().filter_map(reference)),
        Object::Vector(v) => work.extend(words(v)),
        Object::Closure(c) => {
            work.push(Word::object(c.code_index()));
            work.extend(words(&c.free));
        }
        Object::Code(c) => {
            work.extend(words(&c.constants));
            work.extend(c.children.iter().map(|&i| Word::object(i)));
        }
        Object::CaseLambda(vs) | Object::Values(vs) => work.extend(vs.iter().filter_map(reference)),
        Object::Box(w) => work.extend(words(std::slice::from_ref(w))),
        Object::Record { rtd, fields } => {
            work.push(Word::object(*rtd));
            work.extend(words(fields));
        }
        Object::Promise(p) => work.extend(reference(&p.value)),
        Object::Parameter(p) => work.extend([&p.value, &p.converter].into_iter().filter_map(reference)),
        Object::Continuation(k) => {
            work.extend(words(&k.stack));
            work.extend(k.frames.iter().filter(|f| f.code != Frame::HOST).map(|f| Word::object(f.code)));
        }
        Object::Error(e) => work.extend([&e.message, &e.irritants].into_iter().filter_map(reference)),
        Object::Port(p) => match p.kind {
            PortKind::StringOutput(_)
            | PortKind::StringInput { .. }
            | PortKind::BytesOutput(_)
            | PortKind::BytesInput { .. }
            | PortKind::Stdout
            | PortKind::Stderr
            | PortKind::Stdin { .. }
            | PortKind::FileInput { .. }
            | PortKind::BinaryFileInput(_)
            | PortKind::FileOutput { .. } => {}
        },
    }
}

/// Whether marking must visit `v` (a heap value or a symbol).
/// The word of a value that refers to the heap (a pair, object or symbol).
fn reference(v: &Value) -> Option<Word> {
    Word::new(*v).ok().filter(|w| w.is_reference())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::symbol_size;
    use crate::object::Code;

    #[test]
    fn unreachable_symbols_are_collected_and_counted() {
        let mut heap = Heap::new();
        let kept = heap.intern("kept");
        let in_list = heap.intern("in-list");
        let list = heap.list(&[in_list]);
        let in_vector = heap.intern("in-vector");
        let vector = heap.vector([in_vector]);
        let tail = heap.intern("tail");
        let dotted = heap.cons(Value::Null, tail);
        let long = "x".repeat(100_000);
        heap.intern(&long);
        for i in 0..1000 {
            heap.intern(&format!("dropped-{i}"));
        }
        assert!(heap.allocated >= symbol_size(&long) + 1000 * symbol_size("dropped-0"));
        assert_eq!(heap.symbol_count(), 1005);
        heap.collect(&[kept, list, vector, dotted], &[], &[]);
        assert_eq!(heap.symbol_count(), 4);
        for (v, name) in [(kept, "kept"), (in_list, "in-list"), (in_vector, "in-vector"), (tail, "tail")] {
            let Value::Symbol(id) = v else { unreachable!() };
            assert_eq!(&**heap.symbol_name(id), name);
            // Live symbols keep their identity.
            assert!(heap.intern(name).is_eq(v));
        }
        let counted: usize = ["kept", "in-list", "in-vector", "tail"].iter().map(|n| symbol_size(n)).sum();
        assert!(heap.live_bytes() >= counted);
        assert!(heap.live_bytes() < symbol_size(&long), "the long name is not counted any more");
        // A freed name interned again is a fresh symbol; slots are reused.
        let again = heap.intern("dropped-7");
        let Value::Symbol(id) = again else { unreachable!() };
        assert_eq!(&**heap.symbol_name(id), "dropped-7");
        assert!(heap.intern("dropped-7").is_eq(again));
        assert!((id as usize) < 1006);
        // Nothing reaches anything: the table empties.
        heap.collect(&[], &[], &[]);
        assert_eq!(heap.symbol_count(), 0);
        assert_eq!(heap.live_bytes(), 0);
    }

    #[test]
    fn code_constants_keep_their_symbols() {
        let mut heap = Heap::new();
        let constant = heap.intern("quoted");
        let nested = heap.intern("nested");
        let pair = heap.list(&[nested]);
        let code = Code {
            index: 0,
            name: None,
            required: 0,
            rest: false,
            frame_size: 1,
            free_count: 0,
            ops: Box::new([]),
            constants: Box::new([heap.word(constant), heap.word(pair)]),
            children: Box::new([]),
            spans: Vec::new(),
            span: seam_syntax::Span::synthetic(),
            local_names: Vec::new(),
            system: false,
        };
        let code = heap.alloc(Object::Code(Box::new(code)));
        heap.intern("garbage");
        heap.collect(&[code], &[], &[]);
        assert_eq!(heap.symbol_count(), 2);
        assert!(heap.intern("quoted").is_eq(constant));
        assert!(heap.intern("nested").is_eq(nested));
    }
}
