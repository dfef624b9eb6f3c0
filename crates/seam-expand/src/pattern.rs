//! `syntax-rules` patterns: compiling them, and matching macro uses against them.

use std::mem;

use seam_syntax::{DatumKind, Span};

use crate::env::EnvId;
use crate::error::{fail, Result};
use crate::syntax::{atoms_equal, Ident, Stx, StxKind};
use crate::syntax_rules::EllipsisRule;
use crate::Expander;

#[derive(Debug)]
pub(crate) enum Pat {
    /// `_`
    Any,
    /// A pattern variable, by index.
    Var(usize),
    Literal(Ident),
    Atom(DatumKind),
    /// `(before ... [repeat ellipsis after ...] [. tail])`
    List {
        before: Vec<Pat>,
        repeat: Option<Repeat>,
        tail: Option<Box<Pat>>,
    },
    Vector {
        before: Vec<Pat>,
        repeat: Option<Repeat>,
    },
}

/// `pattern ellipsis after ...` inside a list or vector pattern.
#[derive(Debug)]
pub(crate) struct Repeat {
    pattern: Box<Pat>,
    /// The pattern variables inside `pattern`.
    vars: std::ops::Range<usize>,
    after: Vec<Pat>,
}

/// What a pattern variable matched: one form, or (under ellipses) a sequence.
#[derive(Clone, Debug)]
pub(crate) enum MatchTree {
    One(Stx),
    Many(Vec<MatchTree>),
}

/// A pattern variable and its ellipsis depth.
pub(crate) type PatternVar = (Ident, usize);

pub(crate) struct PatternCompiler<'a> {
    expander: &'a Expander,
    /// The literals, as a set: looked up for every identifier of the pattern.
    literals: rustc_hash::FxHashSet<&'a Ident>,
    ellipsis: &'a EllipsisRule,
    vars: Vec<PatternVar>,
    /// The pattern variables seen so far (to reject duplicates in linear time).
    seen: rustc_hash::FxHashSet<Ident>,
}

impl<'a> PatternCompiler<'a> {
    pub fn new(expander: &'a Expander, literals: &'a [Ident], ellipsis: &'a EllipsisRule) -> Self {
        let literals = literals.iter().collect();
        PatternCompiler { expander, literals, ellipsis, vars: Vec::new(), seen: Default::default() }
    }

    pub fn into_vars(self) -> Vec<PatternVar> {
        self.vars
    }

    fn compile(&mut self, stx: &Stx, depth: usize) -> Result<Pat> {
        match &stx.kind {
            StxKind::Ident(id) => {
                if self.literals.contains(id) {
                    return Ok(Pat::Literal(id.clone()));
                }
                if self.expander.is_ellipsis(stx, self.ellipsis) {
                    return fail(&stx.span, "syntax-rules: misplaced ellipsis in pattern");
                }
                if &*self.expander.base_name(id) == "_" {
                    return Ok(Pat::Any);
                }
                if !self.seen.insert(id.clone()) {
                    return fail(
                        &stx.span,
                        format!("syntax-rules: duplicate pattern variable {}", self.expander.base_name(id)),
                    );
                }
                self.vars.push((id.clone(), depth));
                Ok(Pat::Var(self.vars.len() - 1))
            }
            StxKind::Atom(atom) => Ok(Pat::Atom(atom.clone())),
            StxKind::List(items, tail) => self.list(items, tail.as_deref(), &stx.span, depth),
            StxKind::Vector(items) => {
                let (before, repeat) = self.sequence(items, depth)?;
                Ok(Pat::Vector { before, repeat })
            }
            StxKind::Label(..) | StxKind::LabelRef(_) => {
                fail(&stx.span, "syntax-rules: datum label in pattern")
            }
        }
    }

    pub fn list(&mut self, items: &[Stx], tail: Option<&Stx>, span: &Span, depth: usize) -> Result<Pat> {
        let (before, repeat) = self.sequence(items, depth)?;
        let tail = match tail {
            Some(t) if self.expander.is_ellipsis(t, self.ellipsis) => {
                return fail(span, "syntax-rules: misplaced ellipsis in pattern")
            }
            Some(t) => Some(Box::new(self.compile(t, depth)?)),
            None => None,
        };
        Ok(Pat::List { before, repeat, tail })
    }

    fn sequence(&mut self, items: &[Stx], depth: usize) -> Result<(Vec<Pat>, Option<Repeat>)> {
        let mut before = Vec::new();
        let mut repeat: Option<Repeat> = None;
        let mut i = 0;
        while i < items.len() {
            let item = &items[i];
            let followed = items.get(i + 1).is_some_and(|n| self.expander.is_ellipsis(n, self.ellipsis));
            if followed {
                if repeat.is_some() {
                    return fail(
                        &items[i + 1].span,
                        "syntax-rules: more than one ellipsis in a pattern list",
                    );
                }
                let first_var = self.vars.len();
                let pattern = Box::new(self.compile(item, depth + 1)?);
                repeat = Some(Repeat { pattern, vars: first_var..self.vars.len(), after: Vec::new() });
                i += 2;
                continue;
            }
            let pat = self.compile(item, depth)?;
            match &mut repeat {
                Some(r) => r.after.push(pat),
                None => before.push(pat),
            }
            i += 1;
        }
        Ok((before, repeat))
    }
}

impl Expander {
    fn match_pat(&self, pat: &Pat, stx: &Stx, env: EnvId, mac_env: EnvId, binds: &mut [MatchTree]) -> bool {
        match pat {
            Pat::Any => true,
            Pat::Var(i) => {
                binds[*i] = MatchTree::One(stx.clone());
                true
            }
            // R7RS 4.3.2: the same binding, or the same name with no binding on either side
            // (a library's free identifier and the user's are different globals, but the
            // same unbound name).
            Pat::Literal(lit) => match stx.ident() {
                Some(id) => {
                    self.resolve(id, env).same(&self.resolve(lit, mac_env))
                        || self
                            .unbound_name(id, env)
                            .is_some_and(|n| Some(n) == self.unbound_name(lit, mac_env))
                }
                None => false,
            },
            Pat::Atom(atom) => matches!(&stx.kind, StxKind::Atom(a) if atoms_equal(a, atom)),
            Pat::List { .. } => match &stx.kind {
                StxKind::List(items, tail) => {
                    self.match_list(pat, items, tail.as_deref(), env, mac_env, binds)
                }
                _ => false,
            },
            Pat::Vector { before, repeat } => match &stx.kind {
                StxKind::Vector(items) => self
                    .match_sequence(before, repeat.as_ref(), items, env, mac_env, binds)
                    .is_some_and(|n| n == items.len()),
                _ => false,
            },
        }
    }

    /// Matches a list pattern against the list with elements `items` and final cdr `tail`.
    pub(crate) fn match_list(
        &self,
        pat: &Pat,
        items: &[Stx],
        tail: Option<&Stx>,
        env: EnvId,
        mac_env: EnvId,
        binds: &mut [MatchTree],
    ) -> bool {
        let Pat::List { before, repeat, tail: tail_pat } = pat else { return false };
        if repeat.is_some() && tail.is_some() && tail_pat.is_none() {
            return false;
        }
        let Some(used) = self.match_sequence(before, repeat.as_ref(), items, env, mac_env, binds) else {
            return false;
        };
        let rest = &items[used..];
        match tail_pat {
            None => rest.is_empty() && tail.is_none(),
            Some(tail_pat) => {
                let span = rest.first().or(tail).map_or_else(Span::synthetic, |s| s.span.clone());
                let rest_stx = match (rest.is_empty(), tail) {
                    (true, Some(t)) => t.clone(),
                    _ => Stx::new(StxKind::List(rest.to_vec(), tail.map(|t| Box::new(t.clone()))), span),
                };
                self.match_pat(tail_pat, &rest_stx, env, mac_env, binds)
            }
        }
    }

    /// Matches `before`, then the repeat and its trailing patterns, against a prefix of
    /// `items` (all of them when there is a repeat). Returns how many items were used.
    fn match_sequence(
        &self,
        before: &[Pat],
        repeat: Option<&Repeat>,
        items: &[Stx],
        env: EnvId,
        mac_env: EnvId,
        binds: &mut [MatchTree],
    ) -> Option<usize> {
        let after_len = repeat.map_or(0, |r| r.after.len());
        if items.len() < before.len() + after_len {
            return None;
        }
        for (pat, item) in before.iter().zip(items) {
            if !self.match_pat(pat, item, env, mac_env, binds) {
                return None;
            }
        }
        let Some(repeat) = repeat else { return Some(before.len()) };
        let repeated_end = items.len() - after_len;
        let mut collected: Vec<Vec<MatchTree>> = vec![Vec::new(); repeat.vars.len()];
        for item in &items[before.len()..repeated_end] {
            if !self.match_pat(&repeat.pattern, item, env, mac_env, binds) {
                return None;
            }
            for (slot, var) in collected.iter_mut().zip(repeat.vars.clone()) {
                slot.push(mem::replace(&mut binds[var], MatchTree::Many(Vec::new())));
            }
        }
        for (slot, var) in collected.into_iter().zip(repeat.vars.clone()) {
            binds[var] = MatchTree::Many(slot);
        }
        for (pat, item) in repeat.after.iter().zip(&items[repeated_end..]) {
            if !self.match_pat(pat, item, env, mac_env, binds) {
                return None;
            }
        }
        Some(items.len())
    }
}
