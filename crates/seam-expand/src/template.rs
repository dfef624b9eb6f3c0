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
use crate::{Expander, MAX_NODES};

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
        TemplateCompiler { expander, vars, ellipsis, env }
    }

    /// Whether `stx` is the keyword `identifier-append` (and not a pattern variable).
    fn is_identifier_append(&self, stx: &Stx) -> bool {
        let Some(id) = stx.ident() else { return false };
        !self.vars.iter().any(|(v, _)| v == id)
            && matches!(self.expander.resolve(id, self.env), Binding::Special(Special::IdentifierAppend))
    }

    /// Compiles `stx` found under `depth` ellipses; `escaped` inside `(... template)`.
    pub fn compile(&self, stx: &Stx, depth: usize, escaped: bool) -> Result<Tmpl> {
        match &stx.kind {
            StxKind::Ident(id) => {
                if let Some(index) = self.vars.iter().position(|(v, _)| v == id) {
                    let bound = self.vars[index].1;
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
            collect_vars(&template, &mut vars);
            if ellipses > 0 && !vars.iter().any(|&v| self.vars[v].1 >= depth + ellipses) {
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

fn collect_vars(template: &Tmpl, out: &mut Vec<usize>) {
    match template {
        Tmpl::Var(v) => {
            if !out.contains(v) {
                out.push(*v);
            }
        }
        Tmpl::List(elements, tail) => {
            for e in elements {
                for v in &e.vars {
                    if !out.contains(v) {
                        out.push(*v);
                    }
                }
            }
            if let Some(t) = tail {
                collect_vars(t, out);
            }
        }
        Tmpl::Vector(elements) => {
            for e in elements {
                for v in &e.vars {
                    if !out.contains(v) {
                        out.push(*v);
                    }
                }
            }
        }
        Tmpl::Append(parts) => parts.iter().for_each(|p| collect_vars(p, out)),
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
        let binds: Vec<&MatchTree> = binds.iter().collect();
        let mut instance = Instance { mac, span, renames, appended: HashMap::new() };
        self.build(&mut instance, template, &binds)
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

    fn build(&mut self, inst: &mut Instance, template: &Tmpl, binds: &[&MatchTree]) -> Result<Stx> {
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
                Some(MatchTree::One(stx)) => return self.copy_counted(stx),
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
            Tmpl::Atom(atom) => StxKind::Atom(atom.clone()),
            Tmpl::Verbatim(stx) => return Ok(stx.clone()),
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
        binds: &[&MatchTree],
    ) -> Result<Vec<Stx>> {
        let mut out = Vec::with_capacity(elements.len());
        for element in elements {
            self.build_repeated(inst, element, element.ellipses, binds, &mut out)?;
        }
        Ok(out)
    }

    fn build_repeated(
        &mut self,
        inst: &mut Instance,
        element: &Element,
        level: usize,
        binds: &[&MatchTree],
        out: &mut Vec<Stx>,
    ) -> Result<()> {
        if level == 0 {
            out.push(self.build(inst, &element.template, binds)?);
            return Ok(());
        }
        let mut length = None;
        let mut drivers = Vec::new();
        for &v in &element.vars {
            if let Some(MatchTree::Many(seq)) = binds.get(v) {
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
                drivers.push((v, seq));
            }
        }
        let Some(length) = length else {
            return fail(inst.span, format!("macro `{}`: no pattern variable to repeat", inst.mac.name));
        };
        for k in 0..length {
            let mut inner = binds.to_vec();
            for (v, seq) in &drivers {
                inner[*v] = &seq[k];
            }
            self.build_repeated(inst, element, level - 1, &inner, out)?;
        }
        Ok(())
    }

    /// Clones a matched form, counting its nodes against the expansion budget.
    fn copy_counted(&mut self, stx: &Stx) -> Result<Stx> {
        self.count_node(&stx.span)?;
        let kind = match &stx.kind {
            StxKind::List(items, tail) => StxKind::List(
                items.iter().map(|s| self.copy_counted(s)).collect::<Result<_>>()?,
                match tail {
                    Some(t) => Some(Box::new(self.copy_counted(t)?)),
                    None => None,
                },
            ),
            StxKind::Vector(items) => {
                StxKind::Vector(items.iter().map(|s| self.copy_counted(s)).collect::<Result<_>>()?)
            }
            other => other.clone(),
        };
        Ok(Stx::new(kind, stx.span.clone()))
    }
}
