//! Official letters of a PPID (*tanda bukti penerimaan*, *pemberitahuan tertulis*, ...) as A4
//! PDF, typeset by typst with the report's embedded fonts: the body's letterhead (*kop surat*)
//! with its logo, the letter's title and number, the addressee, the text, the signatory, and a
//! QR code with the verification address printed beneath it.
//!
//! The letter goes to the template as JSON (`sys.inputs.data`): user text is data, never typst
//! markup. The logo, already checked by content by the caller, goes as bytes
//! (`sys.inputs.logo`); a logo typst cannot read costs the logo, never the letter.

use std::sync::OnceLock;

use serde::Serialize;
use typst::diag::Warned;
use typst::foundations::{Bytes, Dict, IntoValue};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;

use crate::report_pdf::{FONTS, RenderError, describe, diagnostics};

const TEMPLATE: &str = include_str!("../templates/letter.typ");

/// The head of the body's letters (*kop surat*).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Letterhead {
    /// The authority above the body, in capitals (`PEMERINTAH KABUPATEN BANYUMAS`); may be empty.
    pub authority: String,
    /// The body or its PPID (`DINAS KOMUNIKASI DAN INFORMATIKA`).
    pub name: String,
    pub address: String,
    /// Telephone, e-mail and web address on one line.
    pub contacts: String,
}

/// Who signs (*penandatangan*).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Signatory {
    /// `PPID Kabupaten Banyumas`, `Atasan PPID`.
    pub position: String,
    pub name: String,
    /// Empty when the signatory has no NIP.
    pub nip: String,
}

/// One lettered item (the notice's a–g): its heading and its lines.
#[derive(Debug, Clone, Serialize)]
pub struct LetterItem {
    pub label: String,
    pub heading: String,
    pub lines: Vec<String>,
}

/// A letter as it is printed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Letter {
    pub letterhead: Letterhead,
    /// The title in capitals (`TANDA BUKTI PENERIMAAN PERMINTAAN INFORMASI PUBLIK`).
    pub title: String,
    pub number: String,
    /// `Banyumas, 10 Februari 2026`.
    pub place_date: String,
    /// *Perihal*; may be empty.
    pub subject: String,
    /// The addressee's lines (`Yth. Siti Aminah`, the address).
    pub addressee: Vec<String>,
    pub opening: String,
    /// Label/value rows (registration number, information asked for, ...).
    pub facts: Vec<(String, String)>,
    pub items: Vec<LetterItem>,
    pub paragraphs: Vec<String>,
    pub closing: String,
    pub signatory: Signatory,
    /// The public verification address, printed beneath the QR code that holds it.
    pub verify_url: String,
    /// The sentence that introduces it.
    pub verify_note: String,
    /// The logo (PNG, JPEG or GIF), already checked by content.
    #[serde(skip)]
    pub logo: Option<Vec<u8>>,
}

#[derive(Serialize)]
struct Data<'a> {
    #[serde(flatten)]
    letter: &'a Letter,
    qr_svg: String,
}

fn engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .main_file(("letter.typ", TEMPLATE))
            .fonts(FONTS)
            .comemo_evict_max_age(Some(8))
            .build()
    })
}

/// The verification address as a QR code (SVG, black on white, with its quiet zone).
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(160, 160)
            .quiet_zone(true)
            .build()
            .trim_start_matches(r#"<?xml version="1.0" standalone="yes"?>"#)
            .to_owned(),
    )
}

/// Typesets the letter as an A4 PDF with embedded fonts. A logo typst cannot read is left
/// out (the letter is compiled again without it).
pub fn letter_to_pdf(letter: &Letter) -> Result<Vec<u8>, RenderError> {
    let qr = qr_svg(&letter.verify_url).unwrap_or_default();
    match compile(letter, &qr, letter.logo.as_deref()) {
        Err(RenderError::Typst(_)) if letter.logo.is_some() => compile(letter, &qr, None),
        other => other,
    }
}

fn compile(letter: &Letter, qr: &str, logo: Option<&[u8]>) -> Result<Vec<u8>, RenderError> {
    let data = Data {
        letter,
        qr_svg: qr.to_owned(),
    };
    let mut inputs = Dict::new();
    inputs.insert("data".into(), serde_json::to_string(&data)?.into_value());
    if let Some(logo) = logo {
        inputs.insert("logo".into(), Bytes::new(logo.to_vec()).into_value());
    }
    let Warned { output, .. } = engine().compile_with_input::<_, PagedDocument>(inputs);
    let doc = output.map_err(|e| RenderError::Typst(describe(&e)))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(letter.number.clone()),
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|diags| RenderError::Pdf(diagnostics(&diags)))
}

#[cfg(test)]
mod tests;
