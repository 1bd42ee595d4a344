//! The two standard-14 fonts used by the renderer (Helvetica and Helvetica-Bold), their glyph
//! widths, and the mapping from Unicode text to WinAnsiEncoding bytes.
//!
//! The widths are the advance widths (in 1/1000 em) of Adobe's Core14 AFM files
//! (`Helvetica.afm`, `Helvetica-Bold.afm`), laid out by WinAnsi code for the codes 32..=255.
//! Codes that WinAnsi leaves undefined (127, 129, 141, 143, 144, 157) carry the width of the
//! bullet, which is what viewers show for them; the encoder never emits them.

/// One of the two fonts of the renderer. Neither is embedded: every PDF viewer must provide
/// the standard 14 fonts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Font {
    Regular,
    Bold,
}

impl Font {
    /// Name of the font in the page resources (`/F1`, `/F2`).
    pub(crate) fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
        }
    }

    /// PostScript name of the standard font.
    pub(crate) fn base_font(self) -> &'static str {
        match self {
            Font::Regular => "Helvetica",
            Font::Bold => "Helvetica-Bold",
        }
    }

    /// Advance width of one WinAnsi code in 1/1000 em; control codes have no width.
    pub(crate) fn glyph_width(self, code: u8) -> u16 {
        let table = match self {
            Font::Regular => &HELVETICA,
            Font::Bold => &HELVETICA_BOLD,
        };
        match code.checked_sub(32) {
            Some(index) => table[usize::from(index)],
            None => 0,
        }
    }

    /// Width of a WinAnsi string in 1/1000 em.
    pub(crate) fn width_units(self, text: &[u8]) -> u32 {
        text.iter().map(|&b| u32::from(self.glyph_width(b))).sum()
    }

    /// Width of a WinAnsi string in points at the given font size.
    pub(crate) fn width(self, text: &[u8], size: f32) -> f32 {
        units_to_points(self.width_units(text), size)
    }
}

/// Converts a width in 1/1000 em to points. Every width comparison of the layout goes through
/// this one function, so wrapping and measuring can never disagree.
pub(crate) fn units_to_points(units: u32, size: f32) -> f32 {
    units as f32 * size / 1000.0
}

/// Encodes text to WinAnsi bytes for the layout.
///
/// Line ends (`\n`, `\r\n`, `\r`) become a single `\n`, which the layout treats as a hard
/// line break; a tab becomes a space; invisible format characters (soft hyphen, zero-width
/// space/joiners, BOM) are dropped; typographic spaces and hyphens that WinAnsi lacks fall back to
/// their plain form; every other character without a WinAnsi code becomes `?`.
pub(crate) fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(b'\n');
            }
            '\n' => out.push(b'\n'),
            '\t' => out.push(b' '),
            '\u{AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            _ => out.push(winansi(c).unwrap_or(b'?')),
        }
    }
    out
}

/// The WinAnsi code of a printable character, if it has one (or a close plain fallback).
pub(crate) fn winansi(c: char) -> Option<u8> {
    let code = u32::from(c);
    if matches!(code, 0x20..=0x7E | 0xA0..=0xFF) {
        return u8::try_from(code).ok();
    }
    let byte = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        // Plain fallbacks: hyphen, non-breaking hyphen, minus sign; typographic spaces.
        '\u{2010}' | '\u{2011}' | '\u{2212}' => b'-',
        '\u{2002}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => b' ',
        _ => return None,
    };
    Some(byte)
}

/// Advance widths of Helvetica for the WinAnsi codes 32..=255 (index = code - 32).
#[rustfmt::skip]
const HELVETICA: [u16; 224] = [
     278,  278,  355,  556,  556,  889,  667,  191,  333,  333,  389,  584,  278,  333,  278,  278, // 0x20..=0x2f
     556,  556,  556,  556,  556,  556,  556,  556,  556,  556,  278,  278,  584,  584,  584,  556, // 0x30..=0x3f
    1015,  667,  667,  722,  722,  667,  611,  778,  722,  278,  500,  667,  556,  833,  722,  778, // 0x40..=0x4f
     667,  778,  722,  667,  611,  722,  667,  944,  667,  667,  611,  278,  278,  278,  469,  556, // 0x50..=0x5f
     333,  556,  556,  500,  556,  556,  278,  556,  556,  222,  222,  500,  222,  833,  556,  556, // 0x60..=0x6f
     556,  556,  333,  500,  278,  556,  500,  722,  500,  500,  500,  334,  260,  334,  584,  350, // 0x70..=0x7f
     556,  350,  222,  556,  333, 1000,  556,  556,  333, 1000,  667,  333, 1000,  350,  611,  350, // 0x80..=0x8f
     350,  222,  222,  333,  333,  350,  556, 1000,  333, 1000,  500,  333,  944,  350,  500,  667, // 0x90..=0x9f
     278,  333,  556,  556,  556,  556,  260,  556,  333,  737,  370,  556,  584,  333,  737,  333, // 0xa0..=0xaf
     400,  584,  333,  333,  333,  556,  537,  278,  333,  333,  365,  556,  834,  834,  834,  611, // 0xb0..=0xbf
     667,  667,  667,  667,  667,  667, 1000,  722,  667,  667,  667,  667,  278,  278,  278,  278, // 0xc0..=0xcf
     722,  722,  778,  778,  778,  778,  778,  584,  778,  722,  722,  722,  722,  667,  667,  611, // 0xd0..=0xdf
     556,  556,  556,  556,  556,  556,  889,  500,  556,  556,  556,  556,  278,  278,  278,  278, // 0xe0..=0xef
     556,  556,  556,  556,  556,  556,  556,  584,  611,  556,  556,  556,  556,  500,  556,  500, // 0xf0..=0xff
];

/// Advance widths of Helvetica-Bold for the WinAnsi codes 32..=255 (index = code - 32).
#[rustfmt::skip]
const HELVETICA_BOLD: [u16; 224] = [
     278,  333,  474,  556,  556,  889,  722,  238,  333,  333,  389,  584,  278,  333,  278,  278, // 0x20..=0x2f
     556,  556,  556,  556,  556,  556,  556,  556,  556,  556,  333,  333,  584,  584,  584,  611, // 0x30..=0x3f
     975,  722,  722,  722,  722,  667,  611,  778,  722,  278,  556,  722,  611,  833,  722,  778, // 0x40..=0x4f
     667,  778,  722,  667,  611,  722,  667,  944,  667,  667,  611,  333,  278,  333,  584,  556, // 0x50..=0x5f
     333,  556,  611,  556,  611,  556,  333,  611,  611,  278,  278,  556,  278,  889,  611,  611, // 0x60..=0x6f
     611,  611,  389,  556,  333,  611,  556,  778,  556,  556,  500,  389,  280,  389,  584,  350, // 0x70..=0x7f
     556,  350,  278,  556,  500, 1000,  556,  556,  333, 1000,  667,  333, 1000,  350,  611,  350, // 0x80..=0x8f
     350,  278,  278,  500,  500,  350,  556, 1000,  333, 1000,  556,  333,  944,  350,  500,  667, // 0x90..=0x9f
     278,  333,  556,  556,  556,  556,  280,  556,  333,  737,  370,  556,  584,  333,  737,  333, // 0xa0..=0xaf
     400,  584,  333,  333,  333,  611,  556,  278,  333,  333,  365,  556,  834,  834,  834,  611, // 0xb0..=0xbf
     722,  722,  722,  722,  722,  722, 1000,  722,  667,  667,  667,  667,  278,  278,  278,  278, // 0xc0..=0xcf
     722,  722,  778,  778,  778,  778,  778,  584,  778,  722,  722,  722,  722,  667,  667,  611, // 0xd0..=0xdf
     556,  556,  556,  556,  556,  556,  889,  556,  556,  556,  556,  556,  278,  278,  278,  278, // 0xe0..=0xef
     611,  611,  611,  611,  611,  611,  611,  584,  611,  611,  611,  611,  611,  556,  611,  556, // 0xf0..=0xff
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_match_the_afm_files() {
        assert_eq!(Font::Regular.glyph_width(b' '), 278);
        assert_eq!(Font::Regular.glyph_width(b'W'), 944);
        assert_eq!(Font::Regular.glyph_width(b'i'), 222);
        assert_eq!(Font::Bold.glyph_width(b'i'), 278);
        assert_eq!(Font::Regular.glyph_width(b'@'), 1015);
        assert_eq!(Font::Bold.glyph_width(b'@'), 975);
        assert_eq!(Font::Regular.glyph_width(0x96), 556); // en dash
        assert_eq!(Font::Regular.glyph_width(0x97), 1000); // em dash
        assert_eq!(Font::Regular.glyph_width(0xE9), 556); // é
        assert_eq!(Font::Bold.glyph_width(0xFF), 556); // ÿ
        assert_eq!(Font::Regular.glyph_width(b'\n'), 0);
        assert_eq!(
            Font::Regular.width_units(b"Halaman"),
            722 + 556 + 222 + 556 + 833 + 556 + 556
        );
    }

    #[test]
    fn text_is_encoded_to_winansi() {
        assert_eq!(encode("Senin, 2 Februari"), b"Senin, 2 Februari".to_vec());
        assert_eq!(
            encode("café – “x” • € —"),
            b"caf\xE9 \x96 \x93x\x94 \x95 \x80 \x97".to_vec()
        );
        assert_eq!(encode("a\r\nb\rc\td"), b"a\nb\nc d".to_vec());
        assert_eq!(encode("漢→x\u{200B}y\u{AD}"), b"??xy".to_vec());
        assert_eq!(encode("\u{2011}\u{2009}"), b"- ".to_vec());
        // Every code the encoder produces has a width.
        for c in (0..=0x3000u32).filter_map(char::from_u32) {
            if let Some(b) = winansi(c) {
                assert!(Font::Regular.glyph_width(b) > 0, "{c:?}");
                assert!(!matches!(b, 127 | 129 | 141 | 143 | 144 | 157), "{c:?}");
            }
        }
    }
}
