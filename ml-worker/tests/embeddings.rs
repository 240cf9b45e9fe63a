//! The worker's embeddings against Python onnxruntime's on the same ONNX files (written by
//! `make model` as reference-embeddings.json), and INT8 against FP32.

use ml_worker::model::embedder::Embedder;

#[derive(serde::Deserialize)]
struct Reference {
    texts: Vec<String>,
    embeddings: Vec<Vec<f32>>,
}

fn reference(version: &str) -> Reference {
    let path = testkit::model_dir()
        .join(version)
        .join("reference-embeddings.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run `make model`)", path.display()));
    serde_json::from_str(&text).expect("reference json")
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (norm(a) * norm(b))
}

#[test]
fn embeddings_match_python_onnxruntime_on_the_same_files() {
    for version in ["minilm-l6-v2-fp32", "minilm-l6-v2-int8"] {
        let embedder = Embedder::load(&testkit::model_dir(), version, 2).expect("load");
        let reference = reference(version);
        let texts: Vec<&str> = reference.texts.iter().map(String::as_str).collect();
        let ours = embedder.embed(&texts).expect("embed");
        assert_eq!(ours.len(), texts.len());
        for ((text, mine), theirs) in texts.iter().zip(&ours).zip(&reference.embeddings) {
            assert_eq!(mine.len(), 384);
            let similarity = cosine(mine, theirs);
            assert!(
                similarity >= 0.9999,
                "{version}: {text:?} cosine {similarity} to Python's"
            );
        }
    }
}

#[test]
fn int8_agrees_with_fp32() {
    let fp32 = Embedder::load(&testkit::model_dir(), "minilm-l6-v2-fp32", 2).expect("fp32");
    let int8 = Embedder::load(&testkit::model_dir(), "minilm-l6-v2-int8", 2).expect("int8");
    let reference = reference("minilm-l6-v2-fp32");
    let texts: Vec<&str> = reference.texts.iter().map(String::as_str).collect();
    let (a, b) = (
        fp32.embed(&texts).expect("fp32"),
        int8.embed(&texts).expect("int8"),
    );
    #[allow(clippy::cast_precision_loss)]
    let mean = a.iter().zip(&b).map(|(x, y)| cosine(x, y)).sum::<f32>() / a.len() as f32;
    assert!(mean >= 0.98, "INT8 vs FP32 mean cosine {mean}");
}

#[test]
fn the_order_of_results_follows_the_input_whatever_the_batching() {
    // FP32 gives the same vector alone or in any batch. INT8 quantizes activations with
    // one scale per batch (dynamic quantization), so a string's vector shifts slightly with
    // its batch-mates: measured at cosine 0.992, hence the looser bound.
    for (version, bound) in [("minilm-l6-v2-fp32", 0.9999), ("minilm-l6-v2-int8", 0.98)] {
        let embedder = Embedder::load(&testkit::model_dir(), version, 1).expect("load");
        // More strings than one batch, lengths deliberately shuffled.
        let texts: Vec<String> = (0..70)
            .map(|i| format!("CARD PAYMENT {} REF {}", "STORE ".repeat(i % 7), i))
            .collect();
        let all: Vec<&str> = texts.iter().map(String::as_str).collect();
        let together = embedder.embed(&all).expect("together");
        for (i, text) in all.iter().enumerate().step_by(9) {
            let alone = embedder.embed(&[text]).expect("alone");
            let similarity = cosine(&alone[0], &together[i]);
            assert!(
                similarity >= bound,
                "{version}: {text:?} alone and in a batch: cosine {similarity}"
            );
        }
    }
}

#[test]
fn a_tampered_model_file_is_refused_naming_the_file() {
    let copy = std::env::temp_dir().join(format!("ft-models-{}", std::process::id()));
    let version = "minilm-l6-v2-int8";
    std::fs::create_dir_all(copy.join(version)).expect("mkdir");
    for name in ["manifest.json", "tokenizer.json"] {
        std::fs::copy(
            testkit::model_dir().join(version).join(name),
            copy.join(version).join(name),
        )
        .expect("copy");
    }
    std::fs::write(copy.join(version).join("model.onnx"), b"not the model").expect("write");
    let error = Embedder::load(&copy, version, 1).expect_err("refused");
    let message = error.to_string();
    assert!(message.contains("model.onnx"), "{message}");
    assert!(message.contains("make model"), "{message}");
    std::fs::remove_dir_all(&copy).ok();
}
