//! A pass over a PDF's raw bytes before any PDF library sees them.
//!
//! lopdf inflates cross-reference and object streams while it loads a file, and pdf-extract
//! inflates whatever streams a page touches; neither can be told to stop, and a few hundred KB of
//! FlateDecode inflate to gigabytes. So this pass finds every stream the way lopdf can find one (a
//! dictionary right after an `obj` keyword, followed by `stream` and an end of line), decodes it
//! through the decoders lopdf has (FlateDecode, LZWDecode, ASCII85Decode, in the order the
//! dictionary gives) into counters, and refuses the file once the sum passes the budget. Each
//! stream is decoded from its first byte to the end of the file: lopdf decodes a prefix of that
//! (the declared `/Length`, which may lie), and a prefix never decodes to more.
//!
//! Every `obj` in the file is tried, even inside other streams' data, because lopdf reads objects
//! at the offsets its cross-reference table names, wherever those are. Misreading junk as a
//! stream only adds to the count; missing a stream lopdf reads is what must not happen, so the
//! syntax accepted here is at least as lenient as lopdf's where it matters (comments as space,
//! `#xx` in names, the last of duplicate keys wins).
//!
//! Also refused here, because lopdf acts on them before any later check could run: encrypted
//! files (their streams cannot be measured before decryption, and lopdf decrypts and inflates
//! while loading), cross-reference streams whose entries take no bytes (lopdf loops over the
//! declared count) or have absurd field widths (it allocates them), and PNG predictors whose row
//! size is absurd (it allocates a row before reading any).

use std::io::{self, Write};

/// Why a file was refused.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Refusal {
    /// The streams decode to more than the budget.
    TooLarge,
    /// The file is encrypted.
    Encrypted,
    /// A structure lopdf would act on without bound.
    Malformed(&'static str),
}

/// Nesting lopdf accepts (`MAX_NESTING_DEPTH`); deeper objects fail there too.
const MAX_DEPTH: usize = 100;
/// The most array elements or dictionary entries kept per level: the keys that matter here
/// (`/Filter`, `/W`, `/Index`, `/DecodeParms`) hold a handful.
const MAX_KEPT: usize = 64;
/// The widest cross-reference stream field accepted, in bytes (real files use 1 to 4).
const MAX_XREF_FIELD: i64 = 8;
/// The most cross-reference entries a stream may declare when its entries take no bytes.
const MAX_XREF_ENTRIES: i64 = 1 << 22;
/// The largest predictor row accepted, in bytes (a 16-bit CMYK row of 100,000 pixels is 800 KB).
const MAX_PREDICTOR_ROW: i128 = 4 << 20;

/// A parsed value, reduced to what this pass reads.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Name(Vec<u8>),
    Int(i64),
    Array(Vec<Value>),
    Dict(Vec<(Vec<u8>, Value)>),
    /// Anything else, or a container too large to keep.
    Other,
}

impl Value {
    fn get(&self, key: &[u8]) -> Option<&Value> {
        match self {
            // The last of duplicate keys wins, as in lopdf.
            Value::Dict(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
}

/// Checks `bytes` against a budget of `budget` decoded bytes in total.
pub(super) fn check(bytes: &[u8], budget: u64) -> Result<(), Refusal> {
    let mut scan = Scan {
        bytes,
        work_left: bytes.len().saturating_mul(8).saturating_add(1 << 20),
        budget,
    };
    for at in memchr::memmem::find_iter(bytes, b"trailer") {
        let start = skip_space(bytes, at + b"trailer".len());
        if let Some((dict @ Value::Dict(_), _)) = scan.value(start, MAX_DEPTH)? {
            check_not_encrypted(&dict)?;
        }
    }
    for at in memchr::memmem::find_iter(bytes, b"obj") {
        let start = skip_space(bytes, at + b"obj".len());
        let Some((dict @ Value::Dict(_), end)) = scan.value(start, MAX_DEPTH)? else {
            continue;
        };
        check_not_encrypted(&dict)?;
        let Some(data) = stream_data(bytes, end) else {
            continue;
        };
        check_xref_fields(&dict)?;
        check_predictor(&dict)?;
        scan.decode(&dict, data)?;
    }
    Ok(())
}

fn check_not_encrypted(dict: &Value) -> Result<(), Refusal> {
    match dict.get(b"Encrypt") {
        Some(_) => Err(Refusal::Encrypted),
        None => Ok(()),
    }
}

/// lopdf reads any stream as a cross-reference stream if an offset says so, whatever its
/// `/Type`: field widths become allocations and the declared count a loop.
fn check_xref_fields(dict: &Value) -> Result<(), Refusal> {
    let Some(Value::Array(widths)) = dict.get(b"W") else {
        return Ok(());
    };
    let widths: Vec<i64> = widths.iter().filter_map(Value::int).collect();
    if widths.iter().any(|w| *w > MAX_XREF_FIELD) {
        return Err(Refusal::Malformed("cross-reference field too wide"));
    }
    let &[w0, w1, w2, ..] = widths.as_slice() else {
        return Ok(());
    };
    // An entry whose type is unknown consumes only its first field.
    let consumed = if w0 > 0 { w0 } else { w1.max(0) + w2.max(0) };
    if consumed > 0 {
        return Ok(());
    }
    let declared = match dict.get(b"Index") {
        Some(Value::Array(index)) => index
            .chunks(2)
            .map(|pair| pair.get(1).and_then(Value::int).unwrap_or(0).max(0))
            .fold(0i64, i64::saturating_add),
        Some(_) => i64::MAX,
        None => dict.get(b"Size").and_then(Value::int).unwrap_or(0),
    };
    if declared > MAX_XREF_ENTRIES {
        return Err(Refusal::Malformed("cross-reference entries take no bytes"));
    }
    Ok(())
}

/// lopdf allocates two rows of a PNG predictor before it reads any data.
fn check_predictor(dict: &Value) -> Result<(), Refusal> {
    let Some(params @ Value::Dict(_)) = dict.get(b"DecodeParms") else {
        return Ok(());
    };
    let get = |key: &[u8], default: i64| params.get(key).and_then(Value::int).unwrap_or(default);
    if !(10..=15).contains(&get(b"Predictor", 1)) {
        return Ok(());
    }
    let colors = i128::from(get(b"Colors", 1).max(1));
    let bits = i128::from(get(b"BitsPerComponent", 8).max(8));
    let columns = i128::from(get(b"Columns", 1).max(1));
    if colors * bits / 8 * columns > MAX_PREDICTOR_ROW {
        return Err(Refusal::Malformed("predictor row too large"));
    }
    Ok(())
}

/// Where a stream's data begins, if `stream` and an end of line follow the dictionary ending at
/// `end` (lopdf: `space "stream" space0 eol`).
fn stream_data(bytes: &[u8], end: usize) -> Option<&[u8]> {
    let at = skip_space(bytes, end);
    let rest = bytes.get(at..)?.strip_prefix(b"stream")?;
    let spaces = rest
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t'))
        .count();
    let rest = &rest[spaces..];
    rest.strip_prefix(b"\r\n")
        .or_else(|| rest.strip_prefix(b"\n"))
        .or_else(|| rest.strip_prefix(b"\r"))
}

pub(super) fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | b'\x0C')
}

fn is_delimiter(c: u8) -> bool {
    b"()<>[]{}/%".contains(&c)
}

pub(super) fn is_regular(c: u8) -> bool {
    !is_whitespace(c) && !is_delimiter(c)
}

/// Skips white space and comments (lopdf's `space`).
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while let Some(&c) = bytes.get(at) {
        if is_whitespace(c) {
            at += 1;
        } else if c == b'%' {
            while bytes.get(at).is_some_and(|c| !matches!(c, b'\r' | b'\n')) {
                at += 1;
            }
        } else {
            break;
        }
    }
    at
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

struct Scan<'a> {
    bytes: &'a [u8],
    /// Bytes the parser may still look at. Parses start at every `obj`, so crafted nesting could
    /// make them overlap quadratically; a file that needs more than a few passes is refused.
    work_left: usize,
    budget: u64,
}

impl Scan<'_> {
    fn spend(&mut self, bytes: usize) -> Result<(), Refusal> {
        self.work_left = self
            .work_left
            .checked_sub(bytes)
            .ok_or(Refusal::Malformed("too complex to scan"))?;
        Ok(())
    }

    /// The direct object at `at` and where it ends, `None` if there is none.
    fn value(&mut self, at: usize, depth: usize) -> Result<Option<(Value, usize)>, Refusal> {
        if depth == 0 {
            return Ok(None);
        }
        // Leaves are scanned within what is left of the work, so that one long string cannot be
        // rescanned from every `obj` inside it.
        let limit = self.bytes.len().min(at.saturating_add(self.work_left));
        let bytes = &self.bytes[..limit];
        let Some(&c) = bytes.get(at) else {
            return Ok(None);
        };
        let leaf_end = match c {
            b'<' if bytes.get(at + 1) == Some(&b'<') => return self.dict(at + 2, depth),
            b'[' => return self.array(at + 1, depth),
            b'/' => Some(name(bytes, at + 1).1),
            b'<' => memchr::memchr(b'>', &bytes[at..]).map(|i| at + i + 1),
            b'(' => literal_string_end(bytes, at),
            _ if is_regular(c) => {
                Some(at + bytes[at..].iter().take_while(|c| is_regular(**c)).count())
            }
            _ => return Ok(None),
        };
        let Some(end) = leaf_end.filter(|end| *end < limit || limit == self.bytes.len()) else {
            if limit < self.bytes.len() {
                return Err(Refusal::Malformed("too complex to scan"));
            }
            return Ok(None);
        };
        self.spend(end - at)?;
        let token = &bytes[at..end];
        let value = match c {
            b'/' => Value::Name(name(bytes, at + 1).0),
            _ if is_regular(c) => std::str::from_utf8(token)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
                .map_or(Value::Other, Value::Int),
            _ => Value::Other,
        };
        if token.iter().all(u8::is_ascii_digit)
            && let Some(end) = reference_end(bytes, end)
        {
            self.spend(end - at)?;
            return Ok(Some((Value::Other, end)));
        }
        Ok(Some((value, end)))
    }

    fn array(&mut self, mut at: usize, depth: usize) -> Result<Option<(Value, usize)>, Refusal> {
        let mut items = Vec::new();
        let mut complete = true;
        loop {
            at = skip_space(self.bytes, at);
            match self.bytes.get(at) {
                Some(b']') => break,
                None => return Ok(None),
                _ => {}
            }
            let Some((item, end)) = self.value(at, depth - 1)? else {
                return Ok(None);
            };
            if items.len() < MAX_KEPT {
                items.push(item);
            } else {
                complete = false;
            }
            at = end;
        }
        let value = if complete {
            Value::Array(items)
        } else {
            Value::Other
        };
        Ok(Some((value, at + 1)))
    }

    fn dict(&mut self, mut at: usize, depth: usize) -> Result<Option<(Value, usize)>, Refusal> {
        let mut entries: Vec<(Vec<u8>, Value)> = Vec::new();
        loop {
            at = skip_space(self.bytes, at);
            match (self.bytes.get(at), self.bytes.get(at + 1)) {
                (Some(b'>'), Some(b'>')) => break,
                (Some(b'/'), _) => {}
                _ => return Ok(None),
            }
            let limit = self.bytes.len().min(at.saturating_add(self.work_left));
            let (key, end) = name(&self.bytes[..limit], at + 1);
            self.spend(end - at)?;
            let start = skip_space(self.bytes, end);
            let Some((value, end)) = self.value(start, depth - 1)? else {
                return Ok(None);
            };
            // Keys that matter are kept however many others come first.
            if entries.len() < MAX_KEPT || is_read_key(&key) {
                entries.push((key, value));
            }
            at = end;
        }
        Ok(Some((Value::Dict(entries), at + 2)))
    }
}

/// Where `generation R` ends after an object number ending at `at`, if that follows: lopdf reads
/// `12 0 R` as one value.
fn reference_end(bytes: &[u8], at: usize) -> Option<usize> {
    let generation = skip_space(bytes, at);
    let digits = bytes[generation..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 0 {
        return None;
    }
    let r = skip_space(bytes, generation + digits);
    let is_r = bytes.get(r) == Some(&b'R') && !bytes.get(r + 1).is_some_and(|c| is_regular(*c));
    is_r.then_some(r + 1)
}

fn is_read_key(key: &[u8]) -> bool {
    matches!(
        key,
        b"Filter" | b"DecodeParms" | b"W" | b"Index" | b"Size" | b"Encrypt"
    )
}

/// A name's bytes (after the `/`, `#xx` decoded) and where it ends.
pub(super) fn name(bytes: &[u8], mut at: usize) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    while let Some(&c) = bytes.get(at) {
        if c == b'#' {
            let hex = (
                bytes.get(at + 1).copied().and_then(hex_value),
                bytes.get(at + 2).copied().and_then(hex_value),
            );
            let (Some(high), Some(low)) = hex else {
                break;
            };
            out.push(high << 4 | low);
            at += 3;
        } else if is_regular(c) {
            out.push(c);
            at += 1;
        } else {
            break;
        }
    }
    (out, at)
}

/// The end (after the closing parenthesis) of the literal string opening at `at`.
pub(super) fn literal_string_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    let mut depth = 0usize;
    while let Some(&c) = bytes.get(at) {
        match c {
            b'\\' => at += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// The filters lopdf would apply, in order: those of a `/Filter` name or array of names, up to the
/// first it cannot decode (lopdf stops there with an error, keeping nothing after it).
fn decodable_filters(dict: &Value) -> Vec<&[u8]> {
    let names: Vec<&[u8]> = match dict.get(b"Filter") {
        Some(Value::Name(n)) => vec![n.as_slice()],
        Some(Value::Array(items)) => {
            let names: Option<Vec<&[u8]>> = items
                .iter()
                .map(|i| match i {
                    Value::Name(n) => Some(n.as_slice()),
                    _ => None,
                })
                .collect();
            // lopdf decodes nothing when an element is not a name.
            names.unwrap_or_default()
        }
        _ => Vec::new(),
    };
    names
        .into_iter()
        .take_while(|n| matches!(*n, b"FlateDecode" | b"LZWDecode" | b"ASCII85Decode"))
        .collect()
}

impl Scan<'_> {
    /// Decodes a stream's data through its filters, charging every decoded byte of every stage.
    fn decode(&mut self, dict: &Value, data: &[u8]) -> Result<(), Refusal> {
        let filters = decodable_filters(dict);
        let early_change = dict
            .get(b"DecodeParms")
            .and_then(|p| p.get(b"EarlyChange"))
            .and_then(Value::int)
            .is_none_or(|v| v != 0);
        let mut input: Vec<u8> = Vec::new();
        for (i, filter) in filters.iter().enumerate() {
            let keep = i + 1 < filters.len();
            let source: &[u8] = if i == 0 { data } else { &input };
            let mut sink = Sink {
                budget: &mut self.budget,
                kept: keep.then(Vec::new),
                exceeded: false,
            };
            match *filter {
                b"FlateDecode" => inflate(source, &mut sink),
                b"LZWDecode" => unlzw(source, early_change, &mut sink),
                _ => ascii85(source, &mut sink),
            }
            if sink.exceeded {
                return Err(Refusal::TooLarge);
            }
            input = sink.kept.unwrap_or_default();
        }
        Ok(())
    }
}

/// Counts decoded bytes against the budget, keeping them when another filter follows.
struct Sink<'a> {
    budget: &'a mut u64,
    kept: Option<Vec<u8>>,
    exceeded: bool,
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let len = buf.len() as u64;
        if len > *self.budget {
            self.exceeded = true;
            return Err(io::Error::other("decoded beyond the budget"));
        }
        *self.budget -= len;
        if let Some(kept) = &mut self.kept {
            kept.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Like lopdf: zlib, and when that yields nothing, raw deflate after the two header bytes.
fn inflate(input: &[u8], sink: &mut Sink) {
    let before = *sink.budget;
    let zlib = io::copy(&mut flate2::read::ZlibDecoder::new(input), sink);
    if zlib.is_err() && !sink.exceeded && *sink.budget == before && input.len() > 2 {
        let _ = io::copy(&mut flate2::read::DeflateDecoder::new(&input[2..]), sink);
    }
}

fn unlzw(input: &[u8], early_change: bool, sink: &mut Sink) {
    use weezl::{BitOrder, decode::Decoder};
    let mut decoder = if early_change {
        Decoder::with_tiff_size_switch(BitOrder::Msb, 8)
    } else {
        Decoder::new(BitOrder::Msb, 8)
    };
    // Errors end the data, as in lopdf, which keeps what was decoded.
    let _ = decoder.into_stream(&mut *sink).decode_all(input);
}

/// ASCII85 as lopdf decodes it: `z` for four zeros, white space skipped, stopping at the first
/// byte outside `!`..=`u`.
fn ascii85(input: &[u8], sink: &mut Sink) {
    let input = input.strip_suffix(b"~>").unwrap_or(input);
    let mut out = Vec::with_capacity(4096);
    let (mut group, mut count) = (0u32, 0usize);
    for &c in input {
        if c == b'z' && count == 0 {
            out.extend_from_slice(&[0; 4]);
        } else if c.is_ascii_whitespace() {
            continue;
        } else if (b'!'..=b'u').contains(&c) {
            let Some(next) = group
                .checked_mul(85)
                .and_then(|g| g.checked_add(u32::from(c - b'!')))
            else {
                return;
            };
            group = next;
            count += 1;
            if count == 5 {
                out.extend_from_slice(&group.to_be_bytes());
                (group, count) = (0, 0);
            }
        } else {
            break;
        }
        if out.len() >= 4096 {
            if sink.write_all(&out).is_err() {
                return;
            }
            out.clear();
        }
    }
    if count > 0 {
        for _ in count..5 {
            group = group.wrapping_mul(85).wrapping_add(84);
        }
        out.extend_from_slice(&group.to_be_bytes()[..count - 1]);
    }
    let _ = sink.write_all(&out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &[u8]) -> Option<Value> {
        let mut scan = Scan {
            bytes: text,
            work_left: usize::MAX,
            budget: 0,
        };
        scan.value(0, MAX_DEPTH).ok().flatten().map(|(v, _)| v)
    }

    #[test]
    fn dictionaries_are_read_like_lopdf() {
        let dict = parse(b"<< /Length 5 % a comment >>\n /Fil#74er [/FlateDecode /A#53CII85Decode] /Filter /LZWDecode /S (a (nested) \\) string) /H <ab> /D << /X [1 2] >> >>")
            .expect("dict");
        assert_eq!(dict.get(b"Length"), Some(&Value::Int(5)));
        // The last /Filter wins; `#74` is `t`.
        assert_eq!(decodable_filters(&dict), vec![b"LZWDecode".as_slice()]);
        assert!(matches!(dict.get(b"D"), Some(Value::Dict(_))));
        let chain = parse(b"<</Filter[/A#53CII85Decode/FlateDecode/DCTDecode/FlateDecode]>>")
            .expect("dict");
        assert_eq!(
            decodable_filters(&chain),
            vec![b"ASCII85Decode".as_slice(), b"FlateDecode".as_slice()]
        );
        assert_eq!(parse(b"<< /A (unclosed >>"), None);
        let refs = parse(b"<</Length 12 0 R/Root 1 0R /W [1 2 1] /Size 3>>").expect("dict");
        assert_eq!(refs.get(b"Length"), Some(&Value::Other));
        assert_eq!(refs.get(b"Size"), Some(&Value::Int(3)));
    }

    #[test]
    fn stream_keyword_needs_an_end_of_line() {
        assert_eq!(stream_data(b" stream\r\nxy", 0), Some(b"xy".as_slice()));
        assert_eq!(stream_data(b"%c\nstream \t\nxy", 0), Some(b"xy".as_slice()));
        assert_eq!(stream_data(b" streamxy", 0), None);
    }

    #[test]
    fn ascii85_matches_the_reference() {
        let mut budget = u64::MAX;
        let mut sink = Sink {
            budget: &mut budget,
            kept: Some(Vec::new()),
            exceeded: false,
        };
        ascii85(b"87cURD]i,\"Ebo80~>", &mut sink);
        assert_eq!(sink.kept.as_deref(), Some(b"Hello World!".as_slice()));
    }

    #[test]
    fn quadratic_nesting_is_refused() {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        for _ in 0..20_000 {
            bytes.extend_from_slice(b"1 0 obj (");
        }
        bytes.extend(std::iter::repeat_n(b')', 20_000));
        assert_eq!(
            check(&bytes, u64::MAX),
            Err(Refusal::Malformed("too complex to scan"))
        );
    }
}
