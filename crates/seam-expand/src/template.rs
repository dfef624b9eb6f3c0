//! `syntax-rules` templates: compiling them (with ellipsis-depth checks), and
//! instantiating them with a match, renaming the identifiers they introduce.

use std::collections::HashMap;
use std::sync::Arc;

use seam_syntax::{DatumKind, Span};

use crate::env::{Binding, EnvId, Special};
use crate::error::{fail, Result};
use crate::pattern::{MatchTree, PatternVar};
use crate::syntax::{Ident, Stx, StxKind};
use crate::syntax_rules::{EllipsisRule, Macro};
use crate::{Expander, MAX_IDENTIFIER_BYTES, MAX_NODES};

#[derive(Debug)]
pub(crate) enum Tmpl {
    /// An identifier the template introduces: renamed at each expansion.
    Ident(Ident),
    Var(usize),
    Atom(DatumKind),
    /// Copied as is (datum labels).
    Verbatim(Stx),
    List(Vec<Element>, Option<Box<Tmpl>>),
    Vector(Vec<Element>),
    /// `(identifier-append part ...)`: one identifier named by the parts run together.
    Append(Vec<Tmpl>),
}

/// A list or vector element, followed by `ellipses` ellipses.
#[derive(Debug)]
pub(crate) struct Element {
    template: Tmpl,
    ellipses: usize,
    /// The pattern variables occurring in `template`.
    vars: Vec<usize>,
}

pub(crate) struct TemplateCompiler<'a> {
    expander: &'a Expander,
    vars: &'a [PatternVar],
    /// Pattern variables to their indices in `vars` (the first, as `vars` has no duplicates).
    var_index: rustc_hash::FxHashMap<&'a Ident, usize>,
    ellipsis: &'a EllipsisRule,
    /// The macro's definition environment, where the template's keywords are resolved.
    env: EnvId,
}

impl<'a> TemplateCompiler<'a> {
    pub fn new(
        expander: &'a Expander,
        vars: &'a [PatternVar],
        ellipsis: &'a EllipsisRule,
        env: EnvId,
    ) -> Self {
        let mut var_index = rustc_hash::FxHashMap::default();
        for (i, (v, _)) in vars.iter().enumerate() {
            var_index.entry(v).or_insert(i);
        }
        TemplateCompiler { expander, vars, var_index, ellipsis, env }
    }

    /// Whether `stx` is the keyword `identifier-append` (and not a pattern variable).
    fn is_identifier_append(&self, stx: &Stx) -> bool {
        let Some(id) = stx.ident() else { return false };
        !self.var_index.contains_key(id)
            && matches!(self.expander.resolve(id, self.env), Binding::Special(Special::IdentifierAppend))
    }

    /// Compiles `stx` found under `depth` ellipses; `escaped` inside `(... template)`.
    pub fn compile(&self, stx: &Stx, depth: usize, escaped: bool) -> Result<Tmpl> {
        match &stx.kind {
            StxKind::Ident(id) => {
                if let Some(&index) = self.var_index.get(id) {
                    let bound = self.vars.get(index).map_or(0, |v| v.1);
                    if bound > depth {
                        return fail(
                            &stx.span,
                            format!(
                                "syntax-rules: pattern variable {} is used at ellipsis depth {depth} \
                                 but bound at depth {bound}",
                                self.expander.base_name(id)
                            ),
                        );
                    }
                    return Ok(Tmpl::Var(index));
                }
                if !escaped && self.expander.is_ellipsis(stx, self.ellipsis) {
                    return fail(&stx.span, "syntax-rules: misplaced ellipsis in template");
                }
                Ok(Tmpl::Ident(id.clone()))
            }
            StxKind::Atom(atom) => Ok(Tmpl::Atom(atom.clone())),
            StxKind::List(items, tail) => {
                if let [first, escaped_template] = items.as_slice() {
                    if tail.is_none() && !escaped && self.expander.is_ellipsis(first, self.ellipsis) {
                        return self.compile(escaped_template, depth, true);
                    }
                }
                if let Some((first, parts)) = items.split_first() {
                    if !escaped && tail.is_none() && self.is_identifier_append(first) {
                        if parts.is_empty() {
                            return fail(
                                &stx.span,
                                format!("expected {}", Special::IdentifierAppend.usage()),
                            );
                        }
                        let parts =
                            parts.iter().map(|p| self.compile(p, depth, escaped)).collect::<Result<_>>()?;
                        return Ok(Tmpl::Append(parts));
                    }
                }
                let elements = self.elements(items, depth, escaped)?;
                let tail = match tail {
                    Some(t) if !escaped && self.expander.is_ellipsis(t, self.ellipsis) => {
                        return fail(&t.span, "syntax-rules: misplaced ellipsis in template")
                    }
                    Some(t) => Some(Box::new(self.compile(t, depth, escaped)?)),
                    None => None,
                };
                Ok(Tmpl::List(elements, tail))
            }
            StxKind::Vector(items) => Ok(Tmpl::Vector(self.elements(items, depth, escaped)?)),
            StxKind::Label(..) | StxKind::LabelRef(_) => Ok(Tmpl::Verbatim(stx.clone())),
        }
    }

    fn elements(&self, items: &[Stx], depth: usize, escaped: bool) -> Result<Vec<Element>> {
        let mut elements = Vec::new();
        let mut i = 0;
        while i < items.len() {
            let item = &items[i];
            if !escaped && self.expander.is_ellipsis(item, self.ellipsis) {
                return fail(&item.span, "syntax-rules: ellipsis must follow a template");
            }
            let mut ellipses = 0;
            while !escaped
                && items.get(i + 1 + ellipses).is_some_and(|n| self.expander.is_ellipsis(n, self.ellipsis))
            {
                ellipses += 1;
            }
            let template = self.compile(item, depth + ellipses, escaped)?;
            let mut vars = Vec::new();
            collect_vars(&template, &mut vars, &mut Default::default());
            if ellipses > 0
                && !vars.iter().any(|&v| self.vars.get(v).is_some_and(|v| v.1 >= depth + ellipses))
            {
                return fail(
                    &item.span,
                    format!(
                        "syntax-rules: no pattern variable in {} is bound at ellipsis depth {}",
                        self.expander.show(item),
                        depth + ellipses
                    ),
                );
            }
            elements.push(Element { template, ellipses, vars });
            i += 1 + ellipses;
        }
        Ok(elements)
    }
}

/// Adds the pattern variables in `template` to `out`, each once (`seen` holds those already
/// in `out`, so a template with many variables costs linear time).
fn collect_vars(template: &Tmpl, out: &mut Vec<usize>, seen: &mut rustc_hash::FxHashSet<usize>) {
    fn add(v: usize, out: &mut Vec<usize>, seen: &mut rustc_hash::FxHashSet<usize>) {
        if seen.insert(v) {
            out.push(v);
        }
    }
    match template {
        Tmpl::Var(v) => add(*v, out, seen),
        Tmpl::List(elements, tail) => {
            for e in elements {
                e.vars.iter().for_each(|&v| add(v, out, seen));
            }
            if let Some(t) = tail {
                collect_vars(t, out, seen);
            }
        }
        Tmpl::Vector(elements) => {
            for e in elements {
                e.vars.iter().for_each(|&v| add(v, out, seen));
            }
        }
        Tmpl::Append(parts) => parts.iter().for_each(|p| collect_vars(p, out, seen)),
        Tmpl::Ident(_) | Tmpl::Atom(_) | Tmpl::Verbatim(_) => {}
    }
}

/// One instantiation: the macro, the use's span, and this expansion's renamings.
struct Instance<'a> {
    mac: &'a Arc<Macro>,
    span: &'a Span,
    renames: &'a mut HashMap<Ident, Ident>,
    /// Identifiers `identifier-append` made in this expansion, by context and name, so the
    /// same parts give the same identifier.
    appended: HashMap<(Ident, Arc<str>), Ident>,
}

impl Expander {
    pub(crate) fn instantiate(
        &mut self,
        mac: &Arc<Macro>,
        template: &Tmpl,
        binds: &[MatchTree],
        renames: &mut HashMap<Ident, Ident>,
        span: &Span,
    ) -> Result<Stx> {
        let mut binds: Vec<&MatchTree> = binds.iter().collect();
        let mut instance = Instance { mac, span, renames, appended: HashMap::new() };
        self.build(&mut instance, template, &mut binds)
    }

    /// Counts the bytes of an atom a template copies (strings, bytevectors and big numbers
    /// are copied whole) against the expansion's byte budget.
    fn count_atom(&mut self, atom: &DatumKind, span: &Span, mac: &Macro) -> Result<()> {
        let bytes = match atom {
            DatumKind::String(s) => s.len(),
            DatumKind::Bytevector(b) => b.len(),
            DatumKind::Number(seam_syntax::Number::Big(n)) => (n.bits() / 8) as usize,
            DatumKind::Number(seam_syntax::Number::Rational(r)) => {
                ((r.numer().bits() + r.denom().bits()) / 8) as usize
            }
            _ => 0,
        };
        if bytes < 64 {
            return Ok(());
        }
        self.charge_bytes(bytes, span, |_| format!("macro `{}`", mac.name))
    }

    fn count_node(&mut self, span: &Span) -> Result<()> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return fail(
                span,
                format!("macro expansion too deep: expansion grew past {MAX_NODES} syntax nodes"),
            );
        }
        Ok(())
    }

    fn build(&mut self, inst: &mut Instance, template: &Tmpl, binds: &mut [&MatchTree]) -> Result<Stx> {
        self.count_node(inst.span)?;
        let span = inst.span.clone();
        let kind = match template {
            Tmpl::Ident(id) => {
                let alias = match inst.renames.get(id) {
                    Some(alias) => alias.clone(),
                    None => {
                        let alias = self.new_alias(id.clone(), inst.mac.env);
                        inst.renames.insert(id.clone(), alias.clone());
                        alias
                    }
                };
                StxKind::Ident(alias)
            }
            Tmpl::Var(v) => match binds.get(*v) {
                Some(MatchTree::One(stx)) => return self.copy_counted(stx, inst.mac),
                _ => {
                    return fail(
                        &span,
                        format!(
                            "macro `{}`: pattern variable used at the wrong ellipsis depth",
                            inst.mac.name
                        ),
                    )
                }
            },
            Tmpl::Atom(atom) => {
                self.count_atom(atom, &span, inst.mac)?;
                StxKind::Atom(atom.clone())
            }
            Tmpl::Verbatim(stx) => return self.copy_counted(stx, inst.mac),
            Tmpl::List(elements, tail) => {
                let items = self.build_elements(inst, elements, binds)?;
                let tail = match tail {
                    Some(t) => Some(self.build(inst, t, binds)?),
                    None => None,
                };
                return Ok(Stx::list(items, tail, span));
            }
            Tmpl::Vector(elements) => StxKind::Vector(self.build_elements(inst, elements, binds)?),
            Tmpl::Append(parts) => {
                let mut name = String::new();
                let mut context = None;
                for part in parts {
                    let part = self.build(inst, part, binds)?;
                    if name.len() > MAX_IDENTIFIER_BYTES {
                        break;
                    }
                    match &part.kind {
                        StxKind::Ident(id) => {
                            name.push_str(&self.base_name(id));
                            context.get_or_insert_with(|| id.clone());
                        }
                        StxKind::Atom(DatumKind::String(s)) => name.push_str(s),
                        StxKind::Atom(DatumKind::Number(n)) => name.push_str(&n.to_string()),
                        _ => {
                            return fail(
                                &span,
                                format!(
                                    "identifier-append: expected identifiers, strings or numbers, got {}",
                                    self.show(&part)
                                ),
                            )
                        }
                    }
                }
                let Some(context) = context else {
                    return fail(&span, "identifier-append: at least one part must be an identifier");
                };
                if name.len() > MAX_IDENTIFIER_BYTES {
                    return fail(
                        &span,
                        format!(
                            "identifier-append: the identifier would have {} bytes (at most {MAX_IDENTIFIER_BYTES})",
                            name.len()
                        ),
                    );
                }
                self.charge_bytes(name.len(), &span, |_| "identifier-append".to_string())?;
                let name: Arc<str> = Arc::from(name);
                let key = (context, name);
                let id = match inst.appended.get(&key) {
                    Some(id) => id.clone(),
                    None => {
                        let id = self.renamed_like(&key.0, key.1.clone());
                        inst.appended.insert(key, id.clone());
                        id
                    }
                };
                StxKind::Ident(id)
            }
        };
        Ok(Stx::new(kind, span))
    }

    /// An identifier named `name` with the lexical context of `like` (`datum->syntax`):
    /// `like`'s chain of renamings, over the new name.
    fn renamed_like(&mut self, like: &Ident, name: Arc<str>) -> Ident {
        match like {
            Ident::Sym(_) => Ident::Sym(name),
            Ident::Alias(index) => {
                let Some((inner, env)) = self.alias_parts(*index) else { return Ident::Sym(name) };
                let inner = self.renamed_like(&inner, name);
                self.new_alias(inner, env)
            }
        }
    }

    fn build_elements(
        &mut self,
        inst: &mut Instance,
        elements: &[Element],
        binds: &mut [&MatchTree],
    ) -> Result<Vec<Stx>> {
        let mut out = Vec::with_capacity(elements.len());
        for element in elements {
            self.build_repeated(inst, element, element.ellipses, binds, &mut out)?;
        }
        Ok(out)
    }

    /// Builds `element` under `level` more ellipses. The ellipsis variables' entries of
    /// `binds` are set to each repetition's match in place (and restored after), so a
    /// macro with many pattern variables costs no copy of them per repetition.
    fn build_repeated<'m>(
        &mut self,
        inst: &mut Instance,
        element: &Element,
        level: usize,
        binds: &mut [&'m MatchTree],
        out: &mut Vec<Stx>,
    ) -> Result<()> {
        if level == 0 {
            out.push(self.build(inst, &element.template, binds)?);
            return Ok(());
        }
        let mut length = None;
        // (variable, its sequence, what `binds` held for it)
        let mut drivers: Vec<(usize, &'m [MatchTree], &'m MatchTree)> = Vec::new();
        for &v in &element.vars {
            if let Some(&tree) = binds.get(v) {
                if let MatchTree::Many(seq) = tree {
                    if length.is_some_and(|n| n != seq.len()) {
                        return fail(
                            inst.span,
                            format!(
                                "macro `{}`: ellipsis variables matched sequences of different lengths",
                                inst.mac.name
                            ),
                        );
                    }
                    length = Some(seq.len());
                    drivers.push((v, seq, tree));
                }
            }
        }
        let Some(length) = length else {
            return fail(inst.span, format!("macro `{}`: no pattern variable to repeat", inst.mac.name));
        };
        let mut result = Ok(());
        for k in 0..length {
            for &(v, seq, _) in &drivers {
                if let (Some(slot), Some(tree)) = (binds.get_mut(v), seq.get(k)) {
                    *slot = tree;
                }
            }
            result = self.build_repeated(inst, element, level - 1, binds, out);
            if result.is_err() {
                break;
            }
        }
        for &(v, _, saved) in &drivers {
            if let Some(slot) = binds.get_mut(v) {
                *slot = saved;
            }
        }
        result
    }

    /// Clones a matched form, counting its nodes and the bytes of its atoms against the
    /// expansion's budgets.
    fn copy_counted(&mut self, stx: &Stx, mac: &Macro) -> Result<Stx> {
        self.count_node(&stx.span)?;
        let kind = match &stx.kind {
            StxKind::List(items, tail) => StxKind::List(
                items.iter().map(|s| self.copy_counted(s, mac)).collect::<Result<_>>()?,
                match tail {
                    Some(t) => Some(Box::new(self.copy_counted(t, mac)?)),
                    None => None,
                },
            ),
            StxKind::Vector(items) => {
                StxKind::Vector(items.iter().map(|s| self.copy_counted(s, mac)).collect::<Result<_>>()?)
            }
            StxKind::Label(n, inner) => StxKind::Label(*n, Box::new(self.copy_counted(inner, mac)?)),
            StxKind::Atom(atom) => {
                self.count_atom(atom, &stx.span, mac)?;
                StxKind::Atom(atom.clone())
            }
            other => other.clone(),
        };
        Ok(Stx::new(kind, stx.span.clone()))
    }
}
