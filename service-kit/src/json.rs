//! JSON values that keep the digits their fields were written with.

use serde::Serialize;
use serde_json::Value;

/// Pure: `value` as a [`Value`], its `f32` fields at their shortest digits. `serde_json::to_value`
/// widens an `f32` to the `f64` nearest it, so a confidence of 0.9 would read
/// 0.8999999761581421 in a stored or replayed answer, and differ from the same number in a
/// response serialised straight from the struct.
pub fn to_value(value: &impl Serialize) -> serde_json::Result<Value> {
    serde_json::from_str(&serde_json::to_string(value)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_f32_keeps_its_shortest_digits() {
        #[derive(Serialize)]
        struct Scored {
            confidence: f32,
            rows: u64,
        }
        let scored = Scored {
            confidence: 0.9,
            rows: u64::MAX,
        };
        let value = to_value(&scored).expect("json");
        assert_eq!(
            value.to_string(),
            serde_json::to_string(&scored).expect("json")
        );
        assert_eq!(value["confidence"].to_string(), "0.9");
        assert_eq!(value["rows"], u64::MAX);
        // What this is for: serde_json's own conversion widens the f32.
        assert_ne!(
            serde_json::to_value(&scored).expect("json")["confidence"].to_string(),
            "0.9"
        );
    }
}
