//! Where the tests find the repository and the tools `scripts/tools.sh` installs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `$env`, else the repository's `.cache/tools/<installed>`; a clear message when missing.
fn tool(env: &str, installed: &str) -> PathBuf {
    let path = std::env::var_os(env).map_or_else(
        || repo().join(".cache/tools").join(installed),
        PathBuf::from,
    );
    assert!(
        path.exists(),
        "{} is missing: run `make test` (or scripts/tools.sh) to install it, or set {env}",
        path.display()
    );
    path
}

pub fn helm(args: &[&str]) -> Output {
    Command::new(tool("HELM", "bin/helm"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run helm")
}

pub fn kubernetes_validate(file: &Path) -> Output {
    Command::new(tool("KUBERNETES_VALIDATE", "venv/bin/kubernetes-validate"))
        .args(["--strict", "--kubernetes-version", "1.35.0"])
        .arg(file)
        .output()
        .expect("run kubernetes-validate")
}

/// A scratch directory of this test's own.
pub fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ft-packaging-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The files in `dir` with extension `yaml`, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// The `# expect: ...` line a bad example starts with.
pub fn expectation(file: &Path) -> String {
    let text = std::fs::read_to_string(file).expect("read");
    text.lines()
        .next()
        .and_then(|l| l.strip_prefix("# expect: "))
        .unwrap_or_else(|| {
            panic!(
                "{} must start with `# expect: <text of the error>`",
                file.display()
            )
        })
        .to_owned()
}

pub fn yaml_documents(text: &str) -> Vec<serde_json::Value> {
    serde_saphyr::from_multiple::<serde_json::Value>(text)
        .expect("valid YAML")
        .into_iter()
        .filter(|d| !d.is_null())
        .collect()
}
