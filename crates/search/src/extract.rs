//! Plain text out of uploaded documents, for indexing. Uploaded files are untrusted: every
//! extractor is bounded in what it decompresses, in what it returns and in time, and a panic
//! inside a third-party parser becomes an [`ExtractError`] instead of taking the worker down.
//!
//! Each extraction runs on a thread of its own and the caller waits at most
//! [`Limits::deadline`]. Rust cannot stop a thread from outside and the parsers have no way to
//! be cancelled, so a thread that overruns is abandoned: it finishes on its own, holding one of
//! [`MAX_RUNNING_EXTRACTIONS`] slots until it does. Hostile files can therefore keep at most that
//! many cores busy, and what they can allocate is bounded by the checks made before parsing, not
//! by the deadline.

mod pdf_scan;
mod pdf_structure;

use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

use calamine::{Data, DataRef, Reader as _, Xlsx, open_workbook_from_rs};
use quick_xml::events::Event;

pub const MIME_PDF: &str = "application/pdf";
pub const MIME_DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const MIME_XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const MIME_TEXT: &str = "text/plain";
pub const MIME_CSV: &str = "text/csv";

/// Extracted text beyond this many bytes is dropped: more is never needed for search.
pub const MAX_OUTPUT_BYTES: usize = 4 * 1024 * 1024;
/// The most a document may decompress to: the entries of a DOCX or XLSX, the decoded streams of
/// a PDF, all added up (a zip or deflate bomb stops here).
pub const MAX_UNCOMPRESSED_BYTES: u64 = 20 * 1024 * 1024;
/// How long a caller waits for one extraction.
pub const EXTRACTION_DEADLINE: Duration = Duration::from_secs(30);
/// Extractions running at once, abandoned ones included; more wait for a slot.
pub const MAX_RUNNING_EXTRACTIONS: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("no text extraction for type {0:?}")]
    Unsupported(String),
    #[error("not a readable {kind} file: {reason}")]
    Malformed { kind: &'static str, reason: String },
    #[error("{0} file inflates beyond the limit")]
    TooLarge(&'static str),
    #[error("the {0} parser failed on this file")]
    ParserPanicked(&'static str),
    #[error("{0} file is encrypted: its text is not extracted")]
    Encrypted(&'static str),
    #[error("the {0} extraction did not finish in time")]
    TimedOut(&'static str),
}

/// The bounds of one extraction. [`Limits::default`] is what [`extract_text`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Text beyond this many bytes is dropped ([`Extraction::truncated`]).
    pub max_output_bytes: usize,
    /// The most the document may decompress to, all parts together.
    pub max_uncompressed_bytes: u64,
    /// How long the caller waits, including the wait for a free slot.
    pub deadline: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_output_bytes: MAX_OUTPUT_BYTES,
            max_uncompressed_bytes: MAX_UNCOMPRESSED_BYTES,
            deadline: EXTRACTION_DEADLINE,
        }
    }
}

/// The text of a document and whether it was cut at [`Limits::max_output_bytes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extraction {
    pub text: String,
    pub truncated: bool,
}

fn malformed(kind: &'static str, reason: impl ToString) -> ExtractError {
    ExtractError::Malformed {
        kind,
        reason: reason.to_string(),
    }
}

/// The text of a document of type `mime` (parameters such as `; charset=utf-8` are ignored),
/// within the default [`Limits`].
pub fn extract_text(bytes: &[u8], mime: &str) -> Result<String, ExtractError> {
    extract(bytes, mime, &Limits::default()).map(|e| e.text)
}

type Extractor = fn(&[u8], &Limits) -> Result<Extraction, ExtractError>;

/// The text of a document of type `mime` within `limits`.
pub fn extract(bytes: &[u8], mime: &str, limits: &Limits) -> Result<Extraction, ExtractError> {
    let essence = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let (kind, extractor): (&'static str, Extractor) = match essence.as_str() {
        MIME_PDF => ("PDF", pdf),
        MIME_DOCX => ("DOCX", docx),
        MIME_XLSX => ("XLSX", xlsx),
        MIME_TEXT => ("text", plain_text),
        MIME_CSV => ("CSV", plain_text),
        _ => return Err(ExtractError::Unsupported(essence)),
    };
    let limits = *limits;
    let bytes = bytes.to_vec();
    on_worker(kind, limits.deadline, move || {
        let mut extraction = extractor(&bytes, &limits)?;
        if cap(&mut extraction.text, limits.max_output_bytes) {
            extraction.truncated = true;
        }
        Ok(extraction)
    })
}

/// Extractions running now, abandoned ones included.
static RUNNING: Mutex<usize> = Mutex::new(0);
static SLOT_FREED: Condvar = Condvar::new();

/// A place among the [`MAX_RUNNING_EXTRACTIONS`], given back when dropped (by the worker, so an
/// abandoned worker keeps its place until it ends).
struct Slot;

impl Slot {
    fn acquire(until: Instant) -> Option<Slot> {
        // A poisoned lock only means a thread panicked while counting; the count is still right.
        let mut running = RUNNING.lock().unwrap_or_else(|p| p.into_inner());
        while *running >= MAX_RUNNING_EXTRACTIONS {
            let left = until.checked_duration_since(Instant::now())?;
            running = SLOT_FREED
                .wait_timeout(running, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        *running += 1;
        Some(Slot)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut running = RUNNING.lock().unwrap_or_else(|p| p.into_inner());
        *running -= 1;
        SLOT_FREED.notify_one();
    }
}

/// Runs `f` on a thread of its own, catching its panics, and waits for it until `deadline` has
/// passed since the call.
fn on_worker<T: Send + 'static>(
    kind: &'static str,
    deadline: Duration,
    f: impl FnOnce() -> Result<T, ExtractError> + Send + 'static,
) -> Result<T, ExtractError> {
    let until = Instant::now() + deadline;
    let slot = Slot::acquire(until).ok_or(ExtractError::TimedOut(kind))?;
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("lentera-extract".into())
        // The parsers recurse over nested structures; the default 2 MiB is tight in debug builds.
        .stack_size(16 * 1024 * 1024)
        .spawn(move || {
            let _slot = slot;
            let _ = tx.send(guarded(kind, f));
        })
        .map_err(|_| ExtractError::TimedOut(kind))?;
    let left = until.saturating_duration_since(Instant::now());
    match rx.recv_timeout(left) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(ExtractError::TimedOut(kind)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(ExtractError::ParserPanicked(kind)),
    }
}

fn guarded<T>(
    kind: &'static str,
    f: impl FnOnce() -> Result<T, ExtractError>,
) -> Result<T, ExtractError> {
    // The parsers hold no state of ours: nothing is left half-updated by an unwind.
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(Err(ExtractError::ParserPanicked(kind)))
}

/// Cuts `text` to at most `max` bytes on a character boundary; whether it cut.
fn cap(text: &mut String, max: usize) -> bool {
    if text.len() <= max {
        return false;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    true
}

/// Text that stops growing at a cap; writing past it fails, which stops a parser that writes
/// through `fmt::Write` early.
struct CappedText {
    text: String,
    max: usize,
    full: bool,
}

impl CappedText {
    fn new(max: usize) -> Self {
        Self {
            text: String::new(),
            max,
            full: false,
        }
    }

    /// Appends `s`, or as much of it as fits; whether everything fit.
    fn push_str(&mut self, s: &str) -> bool {
        if self.full {
            return false;
        }
        if self.text.len() + s.len() <= self.max {
            self.text.push_str(s);
            return true;
        }
        let mut end = self.max - self.text.len();
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        self.text.push_str(&s[..end]);
        self.full = true;
        false
    }

    fn push(&mut self, c: char) -> bool {
        self.push_str(c.encode_utf8(&mut [0; 4]))
    }

    fn finish(self) -> Extraction {
        Extraction {
            text: self.text,
            truncated: self.full,
        }
    }
}

impl std::fmt::Write for CappedText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.push_str(s) {
            Ok(())
        } else {
            Err(std::fmt::Error)
        }
    }
}

impl<'a> pdf_extract::ConvertToFmt for &'a mut CappedText {
    type Writer = &'a mut CappedText;
    fn convert(self) -> Self::Writer {
        self
    }
}

/// Text and CSV: what fits, decoded as UTF-8 with invalid sequences replaced. Uploads of these
/// types are checked to be UTF-8 already; other callers may not be.
fn plain_text(bytes: &[u8], limits: &Limits) -> Result<Extraction, ExtractError> {
    let kept = &bytes[..bytes.len().min(limits.max_output_bytes)];
    let mut extraction = Extraction {
        text: String::from_utf8_lossy(kept).into_owned(),
        truncated: kept.len() < bytes.len(),
    };
    // Replacement characters are longer than the bytes they replace.
    if cap(&mut extraction.text, limits.max_output_bytes) {
        extraction.truncated = true;
    }
    Ok(extraction)
}

fn pdf(bytes: &[u8], limits: &Limits) -> Result<Extraction, ExtractError> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(malformed("PDF", "missing %PDF- header"));
    }
    pdf_scan::check(bytes, limits.max_uncompressed_bytes).map_err(|refusal| match refusal {
        pdf_scan::Refusal::TooLarge => ExtractError::TooLarge("PDF"),
        pdf_scan::Refusal::Encrypted => ExtractError::Encrypted("PDF"),
        pdf_scan::Refusal::Malformed(reason) => malformed("PDF", reason),
    })?;
    let doc = pdf_extract::Document::load_mem(bytes).map_err(|e| malformed("PDF", e))?;
    if doc.is_encrypted() || doc.encryption_state.is_some() {
        return Err(ExtractError::Encrypted("PDF"));
    }
    pdf_structure::check(&doc).map_err(|reason| malformed("PDF", reason))?;
    let mut out = CappedText::new(limits.max_output_bytes);
    let result = {
        let mut device = pdf_extract::PlainTextOutput::new(&mut out);
        pdf_extract::output_doc(&doc, &mut device)
    };
    match result {
        Ok(()) => Ok(out.finish()),
        // The cap was reached: what was written is the text.
        Err(_) if out.full => Ok(out.finish()),
        Err(e) => Err(malformed("PDF", e)),
    }
}

fn open_zip<'a>(
    bytes: &'a [u8],
    kind: &'static str,
) -> Result<zip::ZipArchive<Cursor<&'a [u8]>>, ExtractError> {
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| malformed(kind, e))
}

/// Inflates every entry into the void, stopping at `budget` bytes in total. Declared sizes can
/// lie; this cannot. Used before handing an archive to a parser that reads it without a bound
/// of its own.
fn check_inflated_size(bytes: &[u8], kind: &'static str, budget: u64) -> Result<(), ExtractError> {
    let mut archive = open_zip(bytes, kind)?;
    let mut budget = budget;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| malformed(kind, e))?;
        let inflated = std::io::copy(&mut entry.take(budget + 1), &mut std::io::sink())
            .map_err(|e| malformed(kind, e))?;
        budget = budget
            .checked_sub(inflated)
            .ok_or(ExtractError::TooLarge(kind))?;
    }
    Ok(())
}

fn docx(bytes: &[u8], limits: &Limits) -> Result<Extraction, ExtractError> {
    let mut archive = open_zip(bytes, "DOCX")?;
    let entry = archive
        .by_name("word/document.xml")
        .map_err(|e| malformed("DOCX", e))?;
    let budget = limits.max_uncompressed_bytes;
    let mut xml = Vec::new();
    entry
        .take(budget + 1)
        .read_to_end(&mut xml)
        .map_err(|e| malformed("DOCX", e))?;
    if xml.len() as u64 > budget {
        return Err(ExtractError::TooLarge("DOCX"));
    }
    let xml = String::from_utf8_lossy(&xml);
    docx_text(&xml, limits.max_output_bytes)
}

/// The text of WordprocessingML: `w:t` runs, with tabs, line and paragraph breaks.
fn docx_text(xml: &str, max_output: usize) -> Result<Extraction, ExtractError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = CappedText::new(max_output);
    let mut in_text = false;
    loop {
        let event = reader.read_event().map_err(|e| malformed("DOCX", e))?;
        let fits = match event {
            Event::Start(e) if e.name().as_ref() == "w:t" => {
                in_text = true;
                true
            }
            Event::End(e) => match e.name().as_ref() {
                "w:t" => {
                    in_text = false;
                    true
                }
                "w:p" => out.push('\n'),
                _ => true,
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:tab" => out.push('\t'),
                "w:br" | "w:cr" => out.push('\n'),
                _ => true,
            },
            Event::Text(t) if in_text => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c)
                } else if let Some(s) = quick_xml::escape::resolve_xml_entity(&r.xml10_content()) {
                    out.push_str(s)
                } else {
                    true
                }
            }
            Event::Eof => break,
            _ => true,
        };
        if !fits {
            break;
        }
    }
    Ok(out.finish())
}

/// Every sheet's name, then its cells row by row: tab between the cells of a row, a line per
/// row. Cells are read as a stream, in the order the sheet lists them; calamine's ranges are
/// not used because they allocate every cell between the first and the last, empty or not, and
/// two cells at `A1` and `XFD1048576` make that seventeen billion.
fn xlsx(bytes: &[u8], limits: &Limits) -> Result<Extraction, ExtractError> {
    check_inflated_size(bytes, "XLSX", limits.max_uncompressed_bytes)?;
    let mut workbook: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| malformed("XLSX", e))?;
    let mut out = CappedText::new(limits.max_output_bytes);
    for (i, name) in workbook.sheet_names().into_iter().enumerate() {
        let mut cells = workbook
            .worksheet_cells_reader(&name)
            .map_err(|e| malformed("XLSX", e))?;
        let mut fits = (i == 0 || out.push('\n')) && out.push_str(&name);
        let mut row = None;
        while fits {
            let Some(cell) = cells.next_cell().map_err(|e| malformed("XLSX", e))? else {
                break;
            };
            let text = match cell.get_value() {
                DataRef::Empty => continue,
                DataRef::SharedString(s) => std::borrow::Cow::Borrowed(*s),
                DataRef::String(s) => std::borrow::Cow::Borrowed(s.as_str()),
                other => std::borrow::Cow::Owned(Data::from(other.clone()).to_string()),
            };
            let (r, _) = cell.get_position();
            let separator = if row == Some(r) { '\t' } else { '\n' };
            row = Some(r);
            fits = out.push(separator) && out.push_str(&text);
        }
        if !fits || !out.push('\n') {
            break;
        }
    }
    Ok(out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docx_text_handles_entities_tabs_and_paragraphs() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>Permohonan &amp; keberatan</w:t><w:tab/><w:t xml:space="preserve"> &#65;</w:t></w:r></w:p><w:p><w:r><w:t>Baris dua</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(
            docx_text(xml, MAX_OUTPUT_BYTES).expect("valid xml").text,
            "Permohonan & keberatan\t A\nBaris dua\n"
        );
    }

    #[test]
    fn an_overrunning_extraction_times_out_and_is_abandoned() {
        let (release, wait) = mpsc::channel::<()>();
        let (ended_tx, ended) = mpsc::channel::<()>();
        let result = on_worker("test", Duration::from_millis(50), move || {
            let _ = wait.recv();
            let _ = ended_tx.send(());
            Ok(())
        });
        assert!(matches!(result, Err(ExtractError::TimedOut("test"))));
        // The worker goes on until its parser returns.
        release.send(()).expect("worker still waiting");
        ended.recv().expect("worker ended");
    }

    #[test]
    fn abandoned_workers_hold_their_slots() {
        let mut releases = Vec::new();
        for _ in 0..MAX_RUNNING_EXTRACTIONS {
            let (release, wait) = mpsc::channel::<()>();
            releases.push(release);
            let result = on_worker("test", Duration::from_millis(20), move || {
                let _ = wait.recv();
                Ok(())
            });
            assert!(matches!(result, Err(ExtractError::TimedOut(_))));
        }
        let ran = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = ran.clone();
        let result = on_worker("test", Duration::from_millis(50), move || {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
            Ok(())
        });
        assert!(matches!(result, Err(ExtractError::TimedOut(_))));
        assert!(!ran.load(std::sync::atomic::Ordering::SeqCst));
        drop(releases);
        // Released, the slots serve again.
        assert!(on_worker("test", Duration::from_secs(30), || Ok(())).is_ok());
    }

    #[test]
    fn unknown_type_is_unsupported() {
        assert!(matches!(
            extract_text(b"x", "image/png"),
            Err(ExtractError::Unsupported(_))
        ));
    }

    #[test]
    fn mime_parameters_are_ignored() {
        assert_eq!(
            extract_text("halo".as_bytes(), "text/plain; charset=utf-8").expect("text"),
            "halo"
        );
    }
}
