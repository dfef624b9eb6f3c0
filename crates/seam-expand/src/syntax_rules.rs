//! `syntax-rules` transformers: compiling a transformer into a [`Macro`], and applying
//! one expansion step to a macro use.

use std::collections::HashMap;
use std::sync::Arc;

use crate::env::{Binding, EnvId, Special};
use crate::error::{fail, Result};
use crate::pattern::{MatchTree, Pat, PatternCompiler};
use crate::syntax::{Ident, Stx, StxKind};
use crate::template::{TemplateCompiler, Tmpl};
use crate::{Expander, MAX_STEPS};

/// A `syntax-rules` macro, closed over the environment it was defined in.
#[derive(Debug)]
pub(crate) struct Macro {
    pub name: Arc<str>,
    pub env: EnvId,
    pub rules: Vec<Rule>,
}

#[derive(Debug)]
pub(crate) struct Rule {
    /// Matches the use minus its keyword.
    pub pattern: Pat,
    pub template: Tmpl,
    pub var_count: usize,
}

/// Which identifier is the ellipsis in one transformer.
#[derive(Clone, Debug)]
pub(crate) struct EllipsisRule {
    custom: Option<Ident>,
    /// The ellipsis is listed among the literals: it is an ordinary identifier.
    disabled: bool,
}

impl Expander {
    pub(crate) fn is_ellipsis(&self, stx: &Stx, rule: &EllipsisRule) -> bool {
        let Some(id) = stx.ident() else { return false };
        if rule.disabled {
            return false;
        }
        match &rule.custom {
            Some(custom) => id == custom,
            None => &*self.base_name(id) == "...",
        }
    }

    /// Evaluates the transformer of `define-syntax`, `let-syntax` or `letrec-syntax`:
    /// a `syntax-rules` form (or a macro use producing one), or another keyword to alias.
    /// Free identifiers of its templates will resolve in `macro_env`.
    pub(crate) fn eval_transformer(
        &mut self,
        spec: &Stx,
        env: EnvId,
        macro_env: EnvId,
        name: Arc<str>,
    ) -> Result<Binding> {
        let mut current = std::borrow::Cow::Borrowed(spec);
        let mut chain = 0;
        loop {
            if let StxKind::Ident(id) = &current.kind {
                return match self.resolve(id, env) {
                    binding @ (Binding::Special(_) | Binding::Macro(_)) => Ok(binding),
                    _ => fail(
                        &current.span,
                        format!("{name}: transformer must be syntax-rules, got {}", self.show(&current)),
                    ),
                };
            }
            let head = self.head_binding(&current, env);
            match head {
                Some(Binding::Special(Special::SyntaxRules)) => {
                    let mac = self.compile_syntax_rules(&current, macro_env, name)?;
                    return Ok(Binding::Macro(Arc::new(mac)));
                }
                Some(Binding::Special(Special::SyntaxError)) => return self.syntax_error(&current),
                Some(Binding::Macro(mac)) => {
                    chain += 1;
                    if chain > self.limits.max_chain {
                        return self.chain_too_long(&current.span);
                    }
                    let next = self.expand_macro(&mac, &current, env)?;
                    current = std::borrow::Cow::Owned(next);
                }
                _ => {
                    return fail(
                        &current.span,
                        format!("{name}: transformer must be syntax-rules, got {}", self.show(&current)),
                    )
                }
            }
        }
    }

    fn compile_syntax_rules(&mut self, form: &Stx, macro_env: EnvId, name: Arc<str>) -> Result<Macro> {
        let usage = || format!("syntax-rules: expected {}", Special::SyntaxRules.usage());
        // Patterns and templates are compiled, matched and instantiated recursively: keep
        // them within the nesting limit of code (data passes through as syntax objects).
        if form.deeper_than(self.limits.max_depth) {
            return self.too_deep(&form.span);
        }
        let Some(items) = form.proper_list() else { return fail(&form.span, usage()) };
        let (custom, rest) = match items.get(1).and_then(|s| s.ident()) {
            Some(id) => (Some(id.clone()), items.get(2..)),
            None => (None, items.get(1..)),
        };
        let Some((literal_list, rules)) = rest.and_then(|r| r.split_first()) else {
            return fail(&form.span, usage());
        };
        let Some(literal_items) = literal_list.proper_list() else {
            return fail(&literal_list.span, "syntax-rules: literals must be a list of identifiers");
        };
        let mut literals = Vec::new();
        for lit in literal_items {
            match lit.ident() {
                Some(id) => literals.push(id.clone()),
                None => {
                    return fail(
                        &lit.span,
                        format!("syntax-rules: literal is not an identifier: {}", self.show(lit)),
                    )
                }
            }
        }
        let mut ellipsis = EllipsisRule { custom, disabled: false };
        ellipsis.disabled = literal_items.iter().any(|lit| self.is_ellipsis(lit, &ellipsis));
        let mut compiled = Vec::new();
        for rule in rules {
            compiled.push(self.compile_rule(rule, &literals, &ellipsis, macro_env)?);
        }
        Ok(Macro { name, env: macro_env, rules: compiled })
    }

    fn compile_rule(
        &self,
        rule: &Stx,
        literals: &[Ident],
        ellipsis: &EllipsisRule,
        env: EnvId,
    ) -> Result<Rule> {
        let parts = match rule.proper_list() {
            Some(parts @ [_, _]) => parts,
            _ => {
                return fail(
                    &rule.span,
                    format!("syntax-rules: expected (pattern template), got {}", self.show(rule)),
                )
            }
        };
        let (pattern, template) = (&parts[0], &parts[1]);
        let StxKind::List(items, tail) = &pattern.kind else {
            return fail(
                &pattern.span,
                format!("syntax-rules: pattern must be a list, got {}", self.show(pattern)),
            );
        };
        if items.is_empty() {
            return fail(&pattern.span, "syntax-rules: pattern must be a list, got ()");
        }
        let mut patterns = PatternCompiler::new(self, literals, ellipsis);
        let pattern = patterns.list(&items[1..], tail.as_deref(), &pattern.span, 0)?;
        let vars = patterns.into_vars();
        let template = TemplateCompiler::new(self, &vars, ellipsis, env).compile(template, 0, false)?;
        Ok(Rule { pattern, template, var_count: vars.len() })
    }

    /// One expansion step: the first rule whose pattern matches `form`, instantiated.
    pub(crate) fn expand_macro(&mut self, mac: &Arc<Macro>, form: &Stx, env: EnvId) -> Result<Stx> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return fail(
                &form.span,
                format!("macro expansion too deep: more than {MAX_STEPS} macro steps in one form"),
            );
        }
        let StxKind::List(items, tail) = &form.kind else {
            return fail(&form.span, format!("syntax keyword {} used as an expression", mac.name));
        };
        for rule in &mac.rules {
            let mut binds = vec![MatchTree::Many(Vec::new()); rule.var_count];
            if self.match_list(&rule.pattern, &items[1..], tail.as_deref(), env, mac.env, &mut binds) {
                let mut renames = HashMap::new();
                return self.instantiate(mac, &rule.template, &binds, &mut renames, &form.span);
            }
        }
        fail(&form.span, format!("no rule of macro `{}` matches {}", mac.name, self.show(form)))
    }

    /// `(syntax-error message irritant ...)`: fails at the use's span.
    pub(crate) fn syntax_error<T>(&self, form: &Stx) -> Result<T> {
        let items = form.proper_list().unwrap_or(&[]);
        let mut message = match items.get(1).map(|s| &s.kind) {
            Some(StxKind::Atom(seam_syntax::DatumKind::String(s))) => s.clone(),
            Some(_) => self.show(&items[1]),
            None => String::from("syntax-error"),
        };
        for irritant in items.iter().skip(2) {
            message.push(' ');
            message.push_str(&self.show(irritant));
        }
        fail(&form.span, message)
    }
}
