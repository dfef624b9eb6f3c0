//! `seam.toml`: a package's manifest, parsed with the `toml` crate and checked field by
//! field. Every error names the file, the line and column, and the field
//! (`counter/seam.toml:3:11: package.version: invalid type: integer `1`, expected a string`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use seam_expand::{Capabilities, Capability};
use seam_syntax::Span;
use serde::Deserialize;
use toml::Spanned;

use crate::error::Error;

/// The manifest's file name.
pub(crate) const MANIFEST: &str = "seam.toml";

/// A package's manifest, checked.
#[derive(Debug)]
pub(crate) struct Manifest {
    pub name: String,
    pub version: String,
    pub description: Option<String>,
    /// The main program, relative to the package directory.
    pub main: String,
    pub capabilities: Capabilities,
    /// The libraries other packages may import, if listed.
    pub libraries: Option<Vec<String>>,
    /// Native modules, in order, with the plugin file of those that name one.
    pub modules: Vec<(String, Option<PathBuf>)>,
    /// Dependencies: name, directory, where the manifest names it.
    pub dependencies: Vec<(String, PathBuf, Span)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    package: RawPackage,
    #[serde(default)]
    native: RawNative,
    #[serde(default)]
    dependencies: BTreeMap<String, Spanned<RawDependency>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPackage {
    name: Spanned<String>,
    version: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    main: Option<Spanned<String>>,
    #[serde(default)]
    capabilities: Vec<Spanned<String>>,
    #[serde(default)]
    libraries: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawNative {
    #[serde(default)]
    modules: Vec<Spanned<String>>,
    /// Module name → plugin shared library (relative to the package directory; without
    /// an extension, the platform's `libNAME.so` / `NAME.dll` / `libNAME.dylib`).
    #[serde(default)]
    plugins: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDependency {
    path: String,
}

/// Reads and checks `DIR/seam.toml`. `text` receives the manifest's text (for error
/// reports that show the line).
pub(crate) fn read(dir: &Path, text: &mut String) -> Result<Manifest, Error> {
    let file = dir.join(MANIFEST);
    *text = std::fs::read_to_string(&file).map_err(|e| {
        Error::package(format!("{} is not a package: cannot read {}: {e}", dir.display(), file.display()))
    })?;
    parse(&file, text)
}

/// Parses and checks manifest `text`, read from `file`.
pub(crate) fn parse(file: &Path, text: &str) -> Result<Manifest, Error> {
    let name: Arc<str> = Arc::from(file.display().to_string().as_str());
    let at = |range: std::ops::Range<usize>| span_at(&name, text, range.start);
    let fail = |range: std::ops::Range<usize>, field: &str, message: String| Error::Package {
        message: format!("{field}: {message}"),
        span: Some(at(range)),
    };
    let deserializer = toml::Deserializer::parse(text).map_err(|e| Error::Package {
        message: format!("malformed {MANIFEST}: {}", e.message()),
        span: Some(at(e.span().unwrap_or(0..0))),
    })?;
    let raw: Raw = serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string().replace(".$__serde_spanned_private_value", "");
        let inner = e.inner();
        let field = match path.as_str() {
            "" | "." => "seam.toml".to_string(),
            _ => path,
        };
        fail(inner.span().unwrap_or(0..0), &field, inner.message().to_string())
    })?;
    let package = raw.package;

    let valid_name = |n: &str| {
        n.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    };
    if !valid_name(package.name.get_ref()) {
        return Err(fail(
            package.name.span(),
            "package.name",
            format!(
                "{:?} is not a package name (lower-case letters, digits, - and _, starting with a letter)",
                package.name.get_ref()
            ),
        ));
    }
    if !is_version(package.version.get_ref()) {
        return Err(fail(
            package.version.span(),
            "package.version",
            format!("{:?} is not a version (MAJOR.MINOR.PATCH, e.g. \"0.1.0\")", package.version.get_ref()),
        ));
    }
    let mut capabilities = Capabilities::NONE;
    for (i, cap) in package.capabilities.iter().enumerate() {
        match Capability::from_name(cap.get_ref()) {
            Some(c) => capabilities.insert(c),
            None => {
                let known: Vec<&str> = Capability::ALL.iter().map(|c| c.name()).collect();
                return Err(fail(
                    cap.span(),
                    &format!("package.capabilities[{i}]"),
                    format!("unknown capability {:?} (known: {})", cap.get_ref(), known.join(", ")),
                ));
            }
        }
    }
    let libraries = match package.libraries {
        None => None,
        Some(list) => {
            let mut names = Vec::new();
            for (i, lib) in list.iter().enumerate() {
                match normalize_library(lib.get_ref()) {
                    Some(n) => names.push(n),
                    None => {
                        return Err(fail(
                            lib.span(),
                            &format!("package.libraries[{i}]"),
                            format!(
                                "{:?} is not a library name (write it as in import: \"(counter util)\")",
                                lib.get_ref()
                            ),
                        ))
                    }
                }
            }
            Some(names)
        }
    };
    let main = match package.main {
        Some(main) if main.get_ref().is_empty() || Path::new(main.get_ref()).is_absolute() => {
            return Err(fail(
                main.span(),
                "package.main",
                format!("{:?} must be a file inside the package (a relative path)", main.get_ref()),
            ))
        }
        Some(main) => main.into_inner(),
        None => "main.scm".to_string(),
    };

    let mut modules = Vec::new();
    for (i, module) in raw.native.modules.iter().enumerate() {
        if module.get_ref().is_empty() || modules.iter().any(|(m, _)| m == module.get_ref()) {
            return Err(fail(
                module.span(),
                &format!("native.modules[{i}]"),
                format!("{:?}: module names must be non-empty and listed once", module.get_ref()),
            ));
        }
        modules.push((module.get_ref().clone(), None));
    }
    for (module, path) in &raw.native.plugins {
        match modules.iter_mut().find(|(m, _)| m == module) {
            Some(entry) => entry.1 = Some(plugin_file(path.get_ref())),
            None => {
                return Err(fail(
                    path.span(),
                    &format!("native.plugins.{module}"),
                    format!("{module} is not listed in native.modules"),
                ))
            }
        }
    }
    if !modules.is_empty() && !capabilities.has(Capability::Native) {
        let span = raw.native.modules[0].span();
        return Err(fail(
            span,
            "native.modules",
            "a package with native modules must require capability native (add \"native\" to package.capabilities)"
                .to_string(),
        ));
    }

    let dir = file.parent().unwrap_or(Path::new("."));
    let mut dependencies = Vec::new();
    for (dep, spec) in raw.dependencies {
        if !valid_name(&dep) {
            return Err(fail(
                spec.span(),
                &format!("dependencies.{dep}"),
                format!("{dep:?} is not a package name"),
            ));
        }
        let span = at(spec.span());
        dependencies.push((dep, dir.join(&spec.get_ref().path), span));
    }
    Ok(Manifest {
        name: package.name.into_inner(),
        version: package.version.into_inner(),
        description: package.description,
        main,
        capabilities,
        libraries,
        modules,
        dependencies,
    })
}

/// `MAJOR.MINOR.PATCH`, optionally followed by `-pre` or `+build`.
fn is_version(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// `(counter util)` as written in `import`, canonical; `None` if it is not one.
fn normalize_library(text: &str) -> Option<String> {
    let inner = text.trim().strip_prefix('(')?.strip_suffix(')')?;
    let words: Vec<&str> = inner.split_whitespace().collect();
    let ok = !words.is_empty()
        && words.iter().all(|w| !w.contains(['(', ')', '"', '\'', '|', ';', '#', '`', ',']));
    ok.then(|| format!("({})", words.join(" ")))
}

/// A plugin path as the manifest gives it: without an extension, the platform's file name
/// for a library of that name (`plugins/counter` → `plugins/libcounter.so` on Linux).
fn plugin_file(path: &str) -> PathBuf {
    let path = PathBuf::from(path);
    if path.extension().is_some() {
        return path;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    path.with_file_name(libloading::library_filename(name))
}

/// The line and column (1-based) of byte `offset` of `text`.
fn span_at(file: &Arc<str>, text: &str, offset: usize) -> Span {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Span::new(file.clone(), line as u32, column as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse(Path::new("pkg/seam.toml"), text).unwrap_err().to_string()
    }

    #[test]
    fn a_full_manifest_parses() {
        let m = parse(
            Path::new("pkg/seam.toml"),
            r#"
[package]
name = "counter"
version = "0.1.0"
description = "counts"
capabilities = ["native", "fs-read"]
libraries = ["(counter)", "( counter  util )"]
main = "bin/main.scm"
[native]
modules = ["counter", "other"]
plugins = { other = "plugins/other" }
[dependencies]
util = { path = "../util" }
"#,
        )
        .unwrap();
        assert_eq!(m.name, "counter");
        assert_eq!(m.version, "0.1.0");
        assert_eq!(m.description.as_deref(), Some("counts"));
        assert_eq!(m.main, "bin/main.scm");
        assert!(m.capabilities.has(Capability::Native) && m.capabilities.has(Capability::FsRead));
        assert!(!m.capabilities.has(Capability::Ffi));
        assert_eq!(m.libraries.unwrap(), ["(counter)", "(counter util)"]);
        assert_eq!(m.modules[0], ("counter".to_string(), None));
        assert_eq!(
            m.modules[1].1.as_ref().unwrap(),
            &Path::new("plugins").join(libloading::library_filename("other"))
        );
        assert_eq!(m.dependencies[0].0, "util");
        assert_eq!(m.dependencies[0].1, Path::new("pkg/../util"));
    }

    #[test]
    fn defaults() {
        let m = parse(Path::new("seam.toml"), "[package]\nname = \"a\"\nversion = \"1.0.0-beta\"\n").unwrap();
        assert_eq!(m.main, "main.scm");
        assert_eq!(m.capabilities, Capabilities::NONE);
        assert!(m.libraries.is_none() && m.modules.is_empty() && m.dependencies.is_empty());
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let cases = [
            ("[package]\nname = \"a\"\nversion = 1\n", "pkg/seam.toml:3:11: package.version: invalid type: integer `1`, expected a string"),
            ("[package]\nname = \"a\"\n", "pkg/seam.toml:1:1: package: missing field `version`"),
            ("[package\nname", "pkg/seam.toml:1:9: malformed seam.toml: unclosed table, expected `]`"),
            (
                "[package]\nname = \"a\"\nversion = \"0.1.0\"\ncapabilities = [\"native\", \"disk\"]\n",
                "pkg/seam.toml:4:27: package.capabilities[1]: unknown capability \"disk\" (known: native, ffi, fs-read, fs-write, net, process, env, time, eval)",
            ),
            ("[package]\nname = \"A b\"\nversion = \"0.1.0\"\n", "pkg/seam.toml:2:8: package.name: \"A b\" is not a package name (lower-case letters, digits, - and _, starting with a letter)"),
            ("[package]\nname = \"a\"\nversion = \"one\"\n", "pkg/seam.toml:3:11: package.version: \"one\" is not a version (MAJOR.MINOR.PATCH, e.g. \"0.1.0\")"),
            ("[package]\nname = \"a\"\nversion = \"0.1.0\"\nauthor = \"me\"\n", "pkg/seam.toml:4:1: package.author: unknown field `author`, expected one of `name`, `version`, `description`, `main`, `capabilities`, `libraries`"),
            ("[package]\nname = \"a\"\nversion = \"0.1.0\"\n[dependencies]\nb = { pth = \"../b\" }\n", "pkg/seam.toml:5:7: dependencies.b.pth: unknown field `pth`, expected `path`"),
            ("[package]\nname = \"a\"\nversion = \"0.1.0\"\n[native]\nmodules = [\"m\"]\n", "pkg/seam.toml:5:12: native.modules: a package with native modules must require capability native (add \"native\" to package.capabilities)"),
            ("[package]\nname = \"a\"\nversion = \"0.1.0\"\ncapabilities = [\"native\"]\n[native]\nmodules = [\"m\"]\nplugins = { n = \"x\" }\n", "pkg/seam.toml:7:17: native.plugins.n: n is not listed in native.modules"),
            ("[package]\nname = \"a\"\nversion = \"0.1.0\"\nlibraries = [\"counter\"]\n", "pkg/seam.toml:4:14: package.libraries[0]: \"counter\" is not a library name (write it as in import: \"(counter util)\")"),
            ("[package]\nname = \"a\"\nversion = \"0.1.0\"\nmain = \"/etc/x.scm\"\n", "pkg/seam.toml:4:8: package.main: \"/etc/x.scm\" must be a file inside the package (a relative path)"),
        ];
        for (text, expected) in cases {
            assert_eq!(error(text), expected, "for {text:?}");
        }
    }
}
