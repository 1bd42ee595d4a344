//! The [`Report`] as an A4 PDF, typeset by typst.
//!
//! The template `templates/annual_report.typ` and the fonts in `fonts/` (Noto Sans regular,
//! bold and italic, SIL OFL 1.1; DejaVu Sans, Bitstream Vera licence, as the fallback for
//! symbols such as ✓, ⚠ and ≤) are compiled into the binary; no system font is ever looked
//! up, so every server prints the same pages. The
//! report goes to the template as one JSON string, `sys.inputs.data`, which the template
//! decodes with `json(bytes(...))`: user text is data there, never typst markup.
//!
//! The typst engine (fonts parsed, template loaded, standard library built) is made once per
//! process and kept in a [`OnceLock`]; typst's own memoisation cache is kept across calls for
//! a few compilations, so the second and later reports are faster than the first.

use std::sync::OnceLock;

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Dict, IntoValue};
use typst::visualize::SvgImage;
use typst_as_lib::{TypstAsLibError, TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;

use crate::report::{Block, Report};

const TEMPLATE: &str = include_str!("../templates/annual_report.typ");

/// The fonts of the report, embedded (subset) in every PDF.
pub(crate) const FONTS: [&[u8]; 4] = [
    include_bytes!("../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../fonts/NotoSans-Italic.ttf"),
    include_bytes!("../fonts/DejaVuSans.ttf"),
];

/// How many compilations an unused entry of typst's memoisation cache survives.
const CACHE_MAX_AGE: usize = 8;

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// typst rejected the document; the text lists its diagnostics (message, hints).
    #[error("typst: {0}")]
    Typst(String),
    /// The report could not be serialised (a number that JSON cannot hold, for instance).
    #[error("report as JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// typst compiled the document but could not write it as PDF.
    #[error("PDF: {0}")]
    Pdf(String),
    /// The spreadsheet writer failed.
    #[error("XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

fn engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .main_file(("annual_report.typ", TEMPLATE))
            .fonts(FONTS)
            .comemo_evict_max_age(Some(CACHE_MAX_AGE))
            .build()
    })
}

/// Renders the report as an A4 PDF with embedded fonts.
///
/// A chart whose SVG typst cannot read is drawn as its title in a frame; if the document
/// still fails to compile and has charts, it is compiled once more with every chart replaced
/// by its title, so a chart alone never costs the whole report.
pub fn report_to_pdf(r: &Report) -> Result<Vec<u8>, RenderError> {
    let mut r = r.clone();
    let mut charts = 0usize;
    for_each_chart_svg(&mut r, |svg| {
        charts += 1;
        if !svg_is_readable(svg) {
            svg.clear();
        }
    });
    match compile(&r) {
        Err(RenderError::Typst(first)) if charts > 0 => {
            for_each_chart_svg(&mut r, String::clear);
            compile(&r).map_err(|e| match e {
                RenderError::Typst(second) => {
                    RenderError::Typst(format!("{first} (and without charts: {second})"))
                }
                other => other,
            })
        }
        other => other,
    }
}

fn compile(r: &Report) -> Result<Vec<u8>, RenderError> {
    let mut inputs = Dict::new();
    inputs.insert("data".into(), serde_json::to_string(r)?.into_value());
    let Warned { output, .. } = engine().compile_with_input::<_, PagedDocument>(inputs);
    let doc = output.map_err(|e| RenderError::Typst(describe(&e)))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom("lentera-annual-report".into()),
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|diags| RenderError::Pdf(diagnostics(&diags)))
}

fn for_each_chart_svg(r: &mut Report, mut f: impl FnMut(&mut String)) {
    for c in &mut r.chapters {
        for s in &mut c.sections {
            for b in &mut s.blocks {
                if let Block::Chart { svg, .. } = b {
                    f(svg);
                }
            }
        }
    }
}

/// Whether typst can decode the SVG (the same parser the template's `image` uses) and it
/// links no image outside itself (typst would try to load that file and fail the document).
fn svg_is_readable(svg: &str) -> bool {
    !svg.trim().is_empty()
        && !links_an_image(svg)
        && SvgImage::new(Bytes::new(svg.as_bytes().to_vec())).is_ok()
}

/// An `<image>` element (with any namespace prefix) whose `href` is not an inline `data:` URL.
fn links_an_image(svg: &str) -> bool {
    let mut rest = svg;
    while let Some(i) = rest.find("image") {
        let before = rest[..i].chars().next_back();
        let tag = &rest[i + "image".len()..];
        let end = tag.find('>').unwrap_or(tag.len());
        if matches!(before, Some('<' | ':')) && tag.starts_with(|c: char| c.is_whitespace()) {
            let attrs = &tag[..end];
            let mut hrefs = attrs.match_indices("href").map(|(j, _)| &attrs[j + 4..]);
            if hrefs.any(|h| {
                let v = h.trim_start().trim_start_matches('=').trim_start();
                let v = v.trim_start_matches(['"', '\'']).trim_start();
                !v.starts_with("data:")
            }) {
                return true;
            }
        }
        rest = tag;
    }
    false
}

pub(crate) fn describe(e: &TypstAsLibError) -> String {
    match e {
        TypstAsLibError::TypstSource(diags) => diagnostics(diags),
        other => other.to_string(),
    }
}

pub(crate) fn diagnostics(diags: &[SourceDiagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        if !out.is_empty() {
            out.push_str("; ");
        }
        out.push_str(&d.message);
        for h in &d.hints {
            out.push_str(" (hint: ");
            out.push_str(&h.v);
            out.push(')');
        }
    }
    if out.is_empty() {
        out.push_str("unknown error");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linked_images_are_found() {
        assert!(links_an_image(r#"<svg><image href="a.png"/></svg>"#));
        assert!(links_an_image(
            r#"<svg><image  xlink:href = 'x.png' /></svg>"#
        ));
        assert!(links_an_image(
            r#"<svg:svg><svg:image href="/etc/passwd"/></svg:svg>"#
        ));
        assert!(!links_an_image(
            r#"<svg><image href="data:image/png;base64,AAAA"/></svg>"#
        ));
        assert!(!links_an_image(
            r#"<svg><text>image</text><imagex href="a"/></svg>"#
        ));
        assert!(!links_an_image("<svg><rect/></svg>"));
    }
}
