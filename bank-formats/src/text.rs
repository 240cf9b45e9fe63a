//! Bytes to text: the encodings bank exports come in.

use serde::Serialize;

use crate::Rejected;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Also reads Latin-1 (ISO-8859-1) correctly: Windows-1252 differs only in 0x80–0x9F, which
    /// Latin-1 leaves to control characters no bank file uses.
    Windows1252,
}

impl Encoding {
    /// The name shown to people, the same as its JSON form.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf8",
            Encoding::Utf8Bom => "utf8-bom",
            Encoding::Utf16Le => "utf16-le",
            Encoding::Utf16Be => "utf16-be",
            Encoding::Windows1252 => "windows1252",
        }
    }
}

/// Decodes a file: a BOM wins; then UTF-16 without BOM (NUL in every other byte); then UTF-8
/// when the bytes are valid UTF-8; otherwise Windows-1252.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), Rejected> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (
            String::from_utf8_lossy(rest).into_owned(),
            Encoding::Utf8Bom,
        )
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (utf16(rest, encoding_rs::UTF_16LE), Encoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (utf16(rest, encoding_rs::UTF_16BE), Encoding::Utf16Be)
    } else if let Some(order) = utf16_without_bom(bytes) {
        match order {
            Encoding::Utf16Le => (utf16(bytes, encoding_rs::UTF_16LE), order),
            _ => (utf16(bytes, encoding_rs::UTF_16BE), order),
        }
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_owned(), Encoding::Utf8)
    } else {
        let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
        (text.into_owned(), Encoding::Windows1252)
    };
    if text.trim().is_empty() {
        return Err(Rejected::Empty);
    }
    if let Some(offset) = text.find(|c: char| c == '\0' || (c.is_control() && !c.is_whitespace())) {
        return Err(Rejected::Binary { offset });
    }
    Ok((text, encoding))
}

fn utf16(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> String {
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// ASCII text in UTF-16 has a NUL in every other byte; which half tells the byte order.
fn utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
    let sample = &bytes[..bytes.len().min(512) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let odd_nuls = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    let even_nuls = sample.iter().step_by(2).filter(|b| **b == 0).count();
    if odd_nuls * 10 >= pairs * 8 && even_nuls == 0 {
        Some(Encoding::Utf16Le)
    } else if even_nuls * 10 >= pairs * 8 && odd_nuls == 0 {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_encoding() {
        let word = "Café;1,50";
        assert_eq!(
            decode(word.as_bytes()).unwrap(),
            (word.to_owned(), Encoding::Utf8)
        );
        let bom = [b"\xEF\xBB\xBF".as_slice(), word.as_bytes()].concat();
        assert_eq!(decode(&bom).unwrap(), (word.to_owned(), Encoding::Utf8Bom));
        let latin1: Vec<u8> = word
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap())
            .collect();
        assert_eq!(
            decode(&latin1).unwrap(),
            (word.to_owned(), Encoding::Windows1252)
        );
        let le: Vec<u8> = word.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&le).unwrap(), (word.to_owned(), Encoding::Utf16Le));
        let be: Vec<u8> = word.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&be).unwrap(), (word.to_owned(), Encoding::Utf16Be));
        let le_bom = [b"\xFF\xFE".as_slice(), &le].concat();
        assert_eq!(
            decode(&le_bom).unwrap(),
            (word.to_owned(), Encoding::Utf16Le)
        );
        // Windows-1252's euro sign, 0x80.
        assert_eq!(decode(b"\x80 5").unwrap().0, "€ 5");
    }

    #[test]
    fn the_name_is_the_json_form() {
        for e in [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
            Encoding::Windows1252,
        ] {
            assert_eq!(serde_json::to_value(e).unwrap(), e.as_str());
        }
    }

    #[test]
    fn rejects_empty_and_binary() {
        assert_eq!(decode(b"").unwrap_err(), Rejected::Empty);
        assert_eq!(decode(b" \r\n\t").unwrap_err(), Rejected::Empty);
        assert_eq!(
            decode(b"PK\x03\x04\x14\x00").unwrap_err(),
            Rejected::Binary { offset: 2 }
        );
    }
}
