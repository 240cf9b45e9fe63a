//! A model version's folder as `make model` writes it, checked before anything is loaded:
//! `manifest.json` names every file with its sha256, and a file that is missing or differs
//! stops the worker with a message naming it and saying how to rebuild.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// How to get good model files back.
pub const REBUILD_HINT: &str = "rebuild the model files with `make model`";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Manifest {
    pub version: String,
    pub embedding_size: usize,
    pub pooling: String,
    pub normalize: bool,
    pub max_tokens: usize,
    pub inputs: Vec<String>,
    pub output: String,
    /// File name → lowercase hex sha256.
    pub files: std::collections::BTreeMap<String, String>,
}

/// The ONNX Runtime library's own manifest (`onnxruntime/manifest.json`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RuntimeManifest {
    pub onnxruntime: String,
    pub files: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ManifestError {
    #[error("{path}: cannot be read ({reason}); {REBUILD_HINT}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("{path}: not a model manifest ({reason}); {REBUILD_HINT}")]
    Malformed { path: PathBuf, reason: String },
    #[error("{path}: sha256 is {actual}, the manifest says {expected}; {REBUILD_HINT}")]
    Mismatch {
        path: PathBuf,
        expected: String,
        actual: String,
    },
    #[error("{path}: the manifest is for {found:?}, not {expected:?}; {REBUILD_HINT}")]
    WrongVersion {
        path: PathBuf,
        expected: String,
        found: String,
    },
    #[error("{path}: {what} is not supported by this worker; {REBUILD_HINT}")]
    Unsupported { path: PathBuf, what: String },
}

fn read(path: &Path) -> Result<Vec<u8>, ManifestError> {
    std::fs::read(path).map_err(|e| ManifestError::Unreadable {
        path: path.to_owned(),
        reason: e.to_string(),
    })
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ManifestError> {
    serde_json::from_slice(&read(path)?).map_err(|e| ManifestError::Malformed {
        path: path.to_owned(),
        reason: e.to_string(),
    })
}

pub use service_kit::digest::sha256_hex;

/// Every file `files` names, under `folder`, has the recorded sha256.
fn verify_files(
    folder: &Path,
    files: &std::collections::BTreeMap<String, String>,
) -> Result<(), ManifestError> {
    for (name, expected) in files {
        let path = folder.join(name);
        let actual = sha256_hex(&read(&path)?);
        if &actual != expected {
            return Err(ManifestError::Mismatch {
                path,
                expected: expected.clone(),
                actual,
            });
        }
    }
    Ok(())
}

/// The manifest of model `version` in `models`, after checking every file it names.
pub fn load_version(models: &Path, version: &str) -> Result<(PathBuf, Manifest), ManifestError> {
    let folder = models.join(version);
    let path = folder.join("manifest.json");
    let manifest: Manifest = parse(&path)?;
    if manifest.version != version {
        return Err(ManifestError::WrongVersion {
            path,
            expected: version.to_owned(),
            found: manifest.version,
        });
    }
    if manifest.pooling != "mean" {
        return Err(ManifestError::Unsupported {
            path,
            what: format!("pooling {:?}", manifest.pooling),
        });
    }
    verify_files(&folder, &manifest.files)?;
    Ok((folder, manifest))
}

/// The ONNX Runtime library under `models/onnxruntime`, after checking its sha256.
pub fn load_runtime(models: &Path) -> Result<PathBuf, ManifestError> {
    let folder = models.join("onnxruntime");
    let path = folder.join("manifest.json");
    let manifest: RuntimeManifest = parse(&path)?;
    verify_files(&folder, &manifest.files)?;
    let library = manifest
        .files
        .keys()
        .find(|name| name.starts_with("libonnxruntime"))
        .ok_or_else(|| ManifestError::Malformed {
            path: path.clone(),
            reason: "names no libonnxruntime file".to_owned(),
        })?;
    Ok(folder.join(library))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_with(files: &[(&str, &[u8])], manifest: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!(
            "ft-manifest-{}-{}",
            std::process::id(),
            sha256_hex(manifest.as_bytes())
        ));
        let folder = root.join("m1");
        std::fs::create_dir_all(&folder).expect("mkdir");
        for (name, bytes) in files {
            std::fs::write(folder.join(name), bytes).expect("write");
        }
        std::fs::write(folder.join("manifest.json"), manifest).expect("write");
        root
    }

    fn manifest(version: &str, model_sha: &str) -> String {
        format!(
            r#"{{"version": "{version}", "embedding_size": 4, "pooling": "mean", "normalize": true,
                "max_tokens": 8, "inputs": ["input_ids"], "output": "out",
                "files": {{"model.onnx": "{model_sha}"}}}}"#
        )
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_folder_whose_files_match_loads() {
        let root = folder_with(
            &[("model.onnx", b"weights")],
            &manifest("m1", &sha256_hex(b"weights")),
        );
        let (folder, m) = load_version(&root, "m1").expect("loads");
        assert_eq!((folder, m.version), (root.join("m1"), "m1".to_owned()));
    }

    #[test]
    fn a_changed_missing_or_foreign_file_is_refused_naming_it() {
        let root = folder_with(
            &[("model.onnx", b"tampered")],
            &manifest("m1", &sha256_hex(b"weights")),
        );
        let error = load_version(&root, "m1").expect_err("mismatch");
        assert!(
            matches!(&error, ManifestError::Mismatch { path, .. } if path.ends_with("m1/model.onnx"))
        );
        assert!(error.to_string().contains("make model"), "{error}");

        let root = folder_with(&[], &manifest("m1", &sha256_hex(b"weights")));
        std::fs::remove_file(root.join("m1/model.onnx")).ok();
        let error = load_version(&root, "m1").expect_err("missing");
        assert!(
            matches!(&error, ManifestError::Unreadable { path, .. } if path.ends_with("m1/model.onnx"))
        );

        let root = folder_with(
            &[("model.onnx", b"weights")],
            &manifest("m2", &sha256_hex(b"weights")),
        );
        let error = load_version(&root, "m1").expect_err("other version");
        assert!(matches!(error, ManifestError::WrongVersion { .. }));

        let root = folder_with(&[], "{ not json");
        assert!(matches!(
            load_version(&root, "m1").expect_err("malformed"),
            ManifestError::Malformed { .. }
        ));
        assert!(matches!(
            load_version(&root, "absent").expect_err("no folder"),
            ManifestError::Unreadable { .. }
        ));
    }
}
