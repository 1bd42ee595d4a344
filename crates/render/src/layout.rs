//! Line wrapping and page layout: turns the blocks of a [`Document`](crate::Document) into
//! positioned drawing operations, page by page.
//!
//! Coordinates are PDF points with the origin at the bottom-left corner of the page. The layout
//! keeps a cursor `y` (top of the next line box) that moves down the page; whatever does not fit
//! above the footer goes to a new page.

use crate::Block;
use crate::font::{Font, encode, units_to_points};

/// A4 width in points.
pub(crate) const PAGE_WIDTH: f32 = 595.0;
/// A4 height in points.
pub(crate) const PAGE_HEIGHT: f32 = 842.0;
/// Margin on all four sides.
pub(crate) const MARGIN: f32 = 50.0;
/// Width available for text between the side margins.
pub(crate) const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;

/// Top of the first line box of a page.
const TOP: f32 = PAGE_HEIGHT - MARGIN;
/// Baseline of the footer (page numbers); its descenders stay inside the bottom margin's edge.
const FOOTER_BASELINE: f32 = MARGIN + 2.0;
/// Rule separating the body from the footer.
const FOOTER_RULE: f32 = MARGIN + 12.0;
/// Lowest point the body may reach.
const BOTTOM: f32 = MARGIN + 20.0;
/// Height of the body of one page.
const BODY_HEIGHT: f32 = TOP - BOTTOM;
const FOOTER_SIZE: f32 = 8.0;

const TITLE_SIZE: f32 = 18.0;
const TITLE_LEADING: f32 = 22.0;
const HEADING_SIZE: f32 = 13.0;
const HEADING_LEADING: f32 = 17.0;
const BODY_SIZE: f32 = 10.0;
const BODY_LEADING: f32 = 14.0;
const TABLE_SIZE: f32 = 9.0;
const TABLE_LEADING: f32 = 11.5;
/// Inner padding of table cells.
const CELL_PAD: f32 = 3.5;
/// Gap between the key and the value column of a key/value block.
const KEY_GAP: f32 = 12.0;
/// Gray level of the table header background.
const HEADER_GRAY: f32 = 0.9;

/// One drawing operation on a page.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Op {
    /// A single line of WinAnsi text with its baseline starting at (`x`, `y`).
    Text {
        x: f32,
        y: f32,
        font: Font,
        size: f32,
        text: Vec<u8>,
    },
    /// A thin black line.
    Line { x1: f32, y1: f32, x2: f32, y2: f32 },
    /// A gray rectangle (`x`, `y` is the bottom-left corner).
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        gray: f32,
    },
}

/// Wraps WinAnsi text into lines no wider than `max_width` points.
///
/// `\n` is a hard break (an empty line stays an empty line); runs of spaces collapse and lines
/// break at spaces; a word wider than the whole line is broken between glyphs. No line is wider
/// than `max_width` unless `max_width` is narrower than a single glyph, which then stands alone
/// on its line. There is always at least one line.
pub(crate) fn wrap(text: &[u8], font: Font, size: f32, max_width: f32) -> Vec<Vec<u8>> {
    let fits = |units: u32| units_to_points(units, size) <= max_width;
    let space = u32::from(font.glyph_width(b' '));
    let mut lines = Vec::new();
    for hard_line in text.split(|&b| b == b'\n') {
        let mut line: Vec<u8> = Vec::new();
        let mut units = 0u32;
        for word in hard_line.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
            let word_units = font.width_units(word);
            if !line.is_empty() {
                if fits(units + space + word_units) {
                    line.push(b' ');
                    line.extend_from_slice(word);
                    units += space + word_units;
                    continue;
                }
                lines.push(std::mem::take(&mut line));
                units = 0;
            }
            if fits(word_units) {
                line.extend_from_slice(word);
                units = word_units;
                continue;
            }
            for &glyph in word {
                let glyph_units = u32::from(font.glyph_width(glyph));
                if !line.is_empty() && !fits(units + glyph_units) {
                    lines.push(std::mem::take(&mut line));
                    units = 0;
                }
                line.push(glyph);
                units += glyph_units;
            }
        }
        lines.push(line);
    }
    lines
}

/// Lays out the blocks and returns the operations of every page, footers included.
pub(crate) fn layout(title: &str, blocks: &[Block]) -> Vec<Vec<Op>> {
    let mut l = Layout {
        done: Vec::new(),
        current: Vec::new(),
        y: TOP,
    };
    for block in blocks {
        match block {
            Block::Title(text) => l.title(text),
            Block::Heading(text) => l.heading(text),
            Block::Paragraph(text) => l.paragraph(text),
            Block::KeyValue(pairs) => l.key_value(pairs),
            Block::Table { header, rows } => l.table(header, rows),
            Block::PageBreak => {
                if !l.at_top() {
                    l.new_page();
                }
            }
        }
    }
    let mut pages = l.done;
    pages.push(l.current);
    let total = pages.len();
    let footer_title = footer_title(title);
    for (index, page) in pages.iter_mut().enumerate() {
        footer(page, &footer_title, index + 1, total);
    }
    pages
}

/// The document title as one line that leaves room for the page number in the footer.
fn footer_title(title: &str) -> Vec<u8> {
    let mut text: Vec<u8> = encode(title)
        .into_iter()
        .map(|b| if b == b'\n' { b' ' } else { b })
        .collect();
    let max = CONTENT_WIDTH * 0.65;
    if Font::Regular.width(&text, FOOTER_SIZE) <= max {
        return text;
    }
    const ELLIPSIS: u8 = 0x85;
    let ellipsis = units_to_points(u32::from(Font::Regular.glyph_width(ELLIPSIS)), FOOTER_SIZE);
    while !text.is_empty() && Font::Regular.width(&text, FOOTER_SIZE) + ellipsis > max {
        text.pop();
    }
    while text.last() == Some(&b' ') {
        text.pop();
    }
    text.push(ELLIPSIS);
    text
}

fn footer(page: &mut Vec<Op>, title: &[u8], number: usize, total: usize) {
    page.push(Op::Line {
        x1: MARGIN,
        y1: FOOTER_RULE,
        x2: PAGE_WIDTH - MARGIN,
        y2: FOOTER_RULE,
    });
    if !title.is_empty() {
        page.push(Op::Text {
            x: MARGIN,
            y: FOOTER_BASELINE,
            font: Font::Regular,
            size: FOOTER_SIZE,
            text: title.to_vec(),
        });
    }
    let label = format!("Halaman {number} dari {total}").into_bytes();
    let width = Font::Regular.width(&label, FOOTER_SIZE);
    page.push(Op::Text {
        x: PAGE_WIDTH - MARGIN - width,
        y: FOOTER_BASELINE,
        font: Font::Regular,
        size: FOOTER_SIZE,
        text: label,
    });
}

/// Baseline of a line of `size` points in a line box of `leading` points whose top is `top`:
/// the glyphs (ascender 0.78 em, descender 0.22 em) sit centred in the box.
fn baseline(top: f32, size: f32, leading: f32) -> f32 {
    top - (leading - size) / 2.0 - 0.78 * size
}

struct Layout {
    done: Vec<Vec<Op>>,
    current: Vec<Op>,
    /// Top of the next line box.
    y: f32,
}

impl Layout {
    fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.current));
        self.y = TOP;
    }

    fn at_top(&self) -> bool {
        self.y >= TOP
    }

    fn remaining(&self) -> f32 {
        self.y - BOTTOM
    }

    /// Starts a new page unless `height` fits below the cursor (or the page is still empty, so
    /// a new page would not help).
    fn ensure(&mut self, height: f32) {
        if height > self.remaining() && !self.at_top() {
            self.new_page();
        }
    }

    /// Vertical space between blocks; swallowed at the top of a page.
    fn gap(&mut self, height: f32) {
        if !self.at_top() {
            self.y -= height;
        }
    }

    fn text_line(&mut self, x: f32, font: Font, size: f32, leading: f32, text: Vec<u8>) {
        if !text.is_empty() {
            self.current.push(Op::Text {
                x,
                y: baseline(self.y, size, leading),
                font,
                size,
                text,
            });
        }
    }

    fn lines(&mut self, lines: Vec<Vec<u8>>, font: Font, size: f32, leading: f32) {
        for line in lines {
            self.ensure(leading);
            self.text_line(MARGIN, font, size, leading, line);
            self.y -= leading;
        }
    }

    fn title(&mut self, text: &str) {
        self.gap(12.0);
        let lines = wrap(&encode(text), Font::Bold, TITLE_SIZE, CONTENT_WIDTH);
        let height = lines.len() as f32 * TITLE_LEADING + 14.0 + BODY_LEADING;
        self.ensure(height.min(BODY_HEIGHT));
        self.lines(lines, Font::Bold, TITLE_SIZE, TITLE_LEADING);
        self.y -= 4.0;
        self.current.push(Op::Line {
            x1: MARGIN,
            y1: self.y,
            x2: PAGE_WIDTH - MARGIN,
            y2: self.y,
        });
        self.y -= 10.0;
    }

    fn heading(&mut self, text: &str) {
        self.gap(10.0);
        let lines = wrap(&encode(text), Font::Bold, HEADING_SIZE, CONTENT_WIDTH);
        // Keep the heading with at least two lines of what follows.
        let height = lines.len() as f32 * HEADING_LEADING + 4.0 + 2.0 * BODY_LEADING;
        self.ensure(height.min(BODY_HEIGHT));
        self.lines(lines, Font::Bold, HEADING_SIZE, HEADING_LEADING);
        self.y -= 4.0;
    }

    fn paragraph(&mut self, text: &str) {
        let lines = wrap(&encode(text), Font::Regular, BODY_SIZE, CONTENT_WIDTH);
        self.lines(lines, Font::Regular, BODY_SIZE, BODY_LEADING);
        self.y -= 6.0;
    }

    fn key_value(&mut self, pairs: &[(String, String)]) {
        let pairs: Vec<(Vec<u8>, Vec<u8>)> =
            pairs.iter().map(|(k, v)| (encode(k), encode(v))).collect();
        let widest_key = pairs
            .iter()
            .flat_map(|(k, _)| k.split(|&b| b == b'\n'))
            .map(|line| Font::Bold.width(line, BODY_SIZE))
            .fold(0.0_f32, f32::max);
        let key_column = (widest_key + KEY_GAP).min(CONTENT_WIDTH * 0.4);
        let value_width = CONTENT_WIDTH - key_column;
        for (key, value) in &pairs {
            let keys = wrap(key, Font::Bold, BODY_SIZE, key_column - KEY_GAP);
            let values = wrap(value, Font::Regular, BODY_SIZE, value_width);
            let rows = keys.len().max(values.len());
            let mut keys = keys.into_iter();
            let mut values = values.into_iter();
            for _ in 0..rows {
                self.ensure(BODY_LEADING);
                if let Some(k) = keys.next() {
                    self.text_line(MARGIN, Font::Bold, BODY_SIZE, BODY_LEADING, k);
                }
                if let Some(v) = values.next() {
                    let x = MARGIN + key_column;
                    self.text_line(x, Font::Regular, BODY_SIZE, BODY_LEADING, v);
                }
                self.y -= BODY_LEADING;
            }
            self.y -= 2.0;
        }
        self.y -= 4.0;
    }

    fn table(&mut self, header: &[String], rows: &[Vec<String>]) {
        let columns = rows.iter().map(Vec::len).fold(header.len(), usize::max);
        if columns == 0 {
            return;
        }
        let cell = |cells: &[String], i: usize| cells.get(i).map(|s| encode(s)).unwrap_or_default();
        let header: Vec<Vec<u8>> = (0..columns).map(|i| cell(header, i)).collect();
        let has_header = header.iter().any(|h| !h.is_empty());
        let body: Vec<Vec<Vec<u8>>> = rows
            .iter()
            .map(|row| (0..columns).map(|i| cell(row, i)).collect())
            .collect();
        let widths = column_widths(&header, &body, CONTENT_WIDTH);
        let grid = Grid::new(&widths);

        let header_lines = grid.wrap_row(&header, Font::Bold);
        let header_height = if has_header {
            grid.height(header_lines.iter().map(Vec::len).max().unwrap_or(1))
        } else {
            0.0
        };
        let draw_header = |l: &mut Layout| {
            if has_header {
                let n = header_lines.iter().map(Vec::len).max().unwrap_or(1);
                grid.draw(l, &header_lines, Font::Bold, 0, n, true);
            }
        };

        self.gap(4.0);
        let first_row = body
            .first()
            .map(|r| grid.wrap_row(r, Font::Regular))
            .map_or(0, |r| r.iter().map(Vec::len).max().unwrap_or(1));
        self.ensure(header_height + grid.height(first_row.clamp(1, 3)));
        draw_header(self);
        let mut fresh = true;
        // Lines of one row that fit on a page right under the header.
        let page_capacity = ((BODY_HEIGHT - header_height - 2.0 * CELL_PAD) / TABLE_LEADING)
            .floor()
            .max(1.0) as usize;

        for row in &body {
            let lines = grid.wrap_row(row, Font::Regular);
            let count = lines.iter().map(Vec::len).max().unwrap_or(1);
            let mut start = 0;
            while start < count {
                let room = self.remaining() - 2.0 * CELL_PAD;
                let fit = if room > 0.0 {
                    (room / TABLE_LEADING).floor() as usize
                } else {
                    0
                };
                let left = count - start;
                if fit >= left {
                    grid.draw(self, &lines, Font::Regular, start, left, false);
                    fresh = false;
                    break;
                }
                // Move the whole row to the next page when it would fit there; split it
                // only when it is taller than a page, or the page is already fresh.
                if !fresh && (fit == 0 || (start == 0 && left <= page_capacity)) {
                    self.new_page();
                    draw_header(self);
                    fresh = true;
                    continue;
                }
                let take = fit.max(1);
                grid.draw(self, &lines, Font::Regular, start, take, false);
                start += take;
                if start < count {
                    self.new_page();
                    draw_header(self);
                    fresh = true;
                } else {
                    fresh = false;
                }
            }
        }
        self.y -= 8.0;
    }
}

/// Column geometry of a table.
struct Grid {
    /// Left edge and width of every column.
    columns: Vec<(f32, f32)>,
}

impl Grid {
    fn new(widths: &[f32]) -> Self {
        let mut x = MARGIN;
        let columns = widths
            .iter()
            .map(|&w| {
                let column = (x, w);
                x += w;
                column
            })
            .collect();
        Grid { columns }
    }

    fn wrap_row(&self, cells: &[Vec<u8>], font: Font) -> Vec<Vec<Vec<u8>>> {
        self.columns
            .iter()
            .zip(cells)
            .map(|(&(_, w), text)| wrap(text, font, TABLE_SIZE, w - 2.0 * CELL_PAD))
            .collect()
    }

    fn height(&self, lines: usize) -> f32 {
        lines as f32 * TABLE_LEADING + 2.0 * CELL_PAD
    }

    /// Draws lines `start..start + count` of every cell as one row segment with its grid.
    fn draw(
        &self,
        l: &mut Layout,
        cells: &[Vec<Vec<u8>>],
        font: Font,
        start: usize,
        count: usize,
        shaded: bool,
    ) {
        let top = l.y;
        let height = self.height(count);
        let bottom = top - height;
        let left = MARGIN;
        let right = self.columns.last().map_or(MARGIN, |&(x, w)| x + w);
        if shaded {
            l.current.push(Op::Fill {
                x: left,
                y: bottom,
                w: right - left,
                h: height,
                gray: HEADER_GRAY,
            });
        }
        for (&(x, _), lines) in self.columns.iter().zip(cells) {
            for (i, line) in lines.iter().skip(start).take(count).enumerate() {
                if line.is_empty() {
                    continue;
                }
                let line_top = top - CELL_PAD - i as f32 * TABLE_LEADING;
                l.current.push(Op::Text {
                    x: x + CELL_PAD,
                    y: baseline(line_top, TABLE_SIZE, TABLE_LEADING),
                    font,
                    size: TABLE_SIZE,
                    text: line.clone(),
                });
            }
        }
        for y in [top, bottom] {
            l.current.push(Op::Line {
                x1: left,
                y1: y,
                x2: right,
                y2: y,
            });
        }
        let edges = self.columns.iter().map(|&(x, _)| x).chain([right]);
        for x in edges {
            l.current.push(Op::Line {
                x1: x,
                y1: top,
                x2: x,
                y2: bottom,
            });
        }
        l.y = bottom;
    }
}

/// Column widths proportional to their content, filling `total`.
///
/// Each column wants the width of its longest line (capped at 60 % of the table when there are
/// several columns) and needs at least the width of its longest word. If all wishes fit, the
/// slack is shared in proportion to them; otherwise every column gets its minimum and the rest
/// goes in proportion to how much more each one wants; only when even the minimums do not fit
/// are they scaled down (and long words are then broken between glyphs).
pub(crate) fn column_widths(header: &[Vec<u8>], body: &[Vec<Vec<u8>>], total: f32) -> Vec<f32> {
    let columns = header.len();
    if columns == 0 {
        return Vec::new();
    }
    let cap = if columns > 1 { total * 0.6 } else { total };
    let pad = 2.0 * CELL_PAD;
    let mut wants = vec![0.0_f32; columns];
    let mut needs = vec![0.0_f32; columns];
    let cells = std::iter::once((header, Font::Bold))
        .chain(body.iter().map(|r| (r.as_slice(), Font::Regular)));
    for (row, font) in cells {
        for (i, text) in row.iter().enumerate().take(columns) {
            for line in text.split(|&b| b == b'\n') {
                wants[i] = wants[i].max(font.width(line, TABLE_SIZE));
                for word in line.split(|&b| b == b' ') {
                    needs[i] = needs[i].max(font.width(word, TABLE_SIZE));
                }
            }
        }
    }
    // A column never gets narrower than a few glyphs, even when empty.
    let floor = pad + 12.0;
    for i in 0..columns {
        wants[i] = (wants[i] + pad).clamp(floor, cap.max(floor));
        needs[i] = (needs[i] + pad).clamp(floor, wants[i]);
    }
    let sum_wants: f32 = wants.iter().sum();
    let sum_needs: f32 = needs.iter().sum();
    let mut widths: Vec<f32> = if sum_wants <= total {
        wants.iter().map(|w| w * total / sum_wants).collect()
    } else if sum_needs <= total {
        let extra = sum_wants - sum_needs;
        let slack = total - sum_needs;
        wants
            .iter()
            .zip(&needs)
            .map(|(w, n)| n + (w - n) * slack / extra)
            .collect()
    } else {
        needs.iter().map(|n| n * total / sum_needs).collect()
    };
    // The last column takes the rounding error, so the grid ends exactly at the margin.
    let others: f32 = widths[..columns - 1].iter().sum();
    widths[columns - 1] = total - others;
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift64*), enough for property-style tests.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    const WORDS: &[&str] = &[
        "Keberatan",
        "diajukan",
        "pada",
        "Senin,",
        "2",
        "Februari",
        "2026",
        "oleh",
        "Pemohon",
        "informasi",
        "publik",
        "kepada",
        "atasan",
        "PPID",
        "—",
        "“tanggapan”",
        "café",
        "Rp1.000.000,00",
        "(lampiran)",
        "\\",
        "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
        "https://ppid.contoh.go.id/permohonan/2026/000123/dokumen-lengkap",
        "",
        "\n",
        "  ",
        "ÆØÅ",
        "漢字",
    ];

    fn random_text(rng: &mut Rng) -> String {
        let n = rng.below(80);
        let mut text = String::new();
        for _ in 0..n {
            text.push_str(rng.pick(WORDS));
            text.push(if rng.below(10) == 0 { '\n' } else { ' ' });
        }
        text
    }

    #[test]
    fn wrapped_lines_never_exceed_the_width() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for case in 0..2_000 {
            let text = encode(&random_text(&mut rng));
            let font = if rng.below(2) == 0 {
                Font::Regular
            } else {
                Font::Bold
            };
            let size = 6.0 + rng.below(11) as f32; // 6..=16 pt
            // At least as wide as the widest glyph at 16 pt (1015/1000 em).
            let max_width = 17.0 + rng.below(479) as f32; // 17..=495 pt
            let lines = wrap(&text, font, size, max_width);
            assert!(!lines.is_empty());
            for line in &lines {
                let units: u32 = line.iter().map(|&b| u32::from(font.glyph_width(b))).sum();
                let width = units as f32 * size / 1000.0;
                assert!(
                    width <= max_width,
                    "case {case}: line {:?} is {width} pt wide, limit {max_width} pt",
                    String::from_utf8_lossy(line)
                );
                assert!(!line.contains(&b'\n'));
                assert!(!line.starts_with(b" ") && !line.ends_with(b" "));
            }
            // Nothing but spaces and line breaks is lost or invented.
            let visible = |bytes: &[u8]| -> Vec<u8> {
                bytes
                    .iter()
                    .copied()
                    .filter(|&b| b != b' ' && b != b'\n')
                    .collect()
            };
            assert_eq!(visible(&text), visible(&lines.concat()), "case {case}");
            // Hard breaks are kept.
            let hard = text.iter().filter(|&&b| b == b'\n').count();
            assert!(lines.len() > hard, "case {case}");
        }
    }

    #[test]
    fn wrap_breaks_at_spaces_first() {
        let text = encode("Kronologi sengketa informasi publik");
        let width = Font::Regular.width(b"Kronologi sengketa", 10.0);
        let lines = wrap(&text, Font::Regular, 10.0, width);
        assert_eq!(
            lines,
            vec![b"Kronologi sengketa".to_vec(), b"informasi publik".to_vec()]
        );
        assert_eq!(
            wrap(b"", Font::Regular, 10.0, 100.0),
            vec![Vec::<u8>::new()]
        );
        assert_eq!(wrap(b"a\n\nb", Font::Regular, 10.0, 100.0).len(), 3);
    }

    #[test]
    fn column_widths_fill_the_table_and_respect_words() {
        let mut rng = Rng(42);
        for _ in 0..300 {
            let columns = 1 + rng.below(6);
            let row = |rng: &mut Rng| -> Vec<Vec<u8>> {
                (0..columns)
                    .map(|_| {
                        let n = rng.below(12);
                        let words: Vec<&str> = (0..n).map(|_| rng.pick(&WORDS[..20])).collect();
                        encode(&words.join(" "))
                    })
                    .collect()
            };
            let header = row(&mut rng);
            let body: Vec<Vec<Vec<u8>>> = (0..rng.below(8)).map(|_| row(&mut rng)).collect();
            let widths = column_widths(&header, &body, CONTENT_WIDTH);
            assert_eq!(widths.len(), columns);
            let sum: f32 = widths.iter().sum();
            assert!((sum - CONTENT_WIDTH).abs() < 0.01, "{widths:?}");
            assert!(widths.iter().all(|&w| w > 2.0 * CELL_PAD), "{widths:?}");
        }
    }

    #[test]
    fn table_rows_continue_on_new_pages_with_the_header() {
        let rows: Vec<Block> = vec![Block::Table {
            header: vec!["No".into(), "Peristiwa".into()],
            rows: (1..=80)
                .map(|i| vec![i.to_string(), format!("Peristiwa nomor {i}")])
                .collect(),
        }];
        let pages = layout("Uji", &rows);
        assert!(pages.len() >= 2);
        for page in &pages {
            let headers = page
                .iter()
                .filter(|op| matches!(op, Op::Text { text, font: Font::Bold, .. } if text == b"Peristiwa"))
                .count();
            assert_eq!(headers, 1);
            for op in page {
                let (Op::Text { y, .. } | Op::Line { y1: y, .. } | Op::Fill { y, .. }) = op;
                let footer = (*y - FOOTER_BASELINE).abs() < 0.01 || (*y - FOOTER_RULE).abs() < 0.01;
                assert!(footer || (*y >= BOTTOM && *y <= TOP), "{op:?}");
            }
        }
    }

    #[test]
    fn a_row_taller_than_a_page_is_split() {
        let long = "kata ".repeat(3_000);
        let blocks = vec![Block::Table {
            header: vec!["A".into(), "B".into()],
            rows: vec![
                vec!["1".into(), long.clone()],
                vec!["2".into(), "akhir".into()],
            ],
        }];
        let pages = layout("Uji", &blocks);
        assert!(pages.len() >= 3);
        let words: usize = pages
            .iter()
            .flatten()
            .map(|op| match op {
                Op::Text { text, .. } => {
                    text.split(|&b| b == b' ').filter(|w| *w == b"kata").count()
                }
                _ => 0,
            })
            .sum();
        assert_eq!(words, 3_000);
    }

    #[test]
    fn page_break_does_not_create_blank_pages() {
        let blocks = vec![
            Block::PageBreak,
            Block::Paragraph("satu".into()),
            Block::PageBreak,
            Block::PageBreak,
            Block::Paragraph("dua".into()),
        ];
        assert_eq!(layout("Uji", &blocks).len(), 2);
        assert_eq!(layout("Uji", &[]).len(), 1);
    }

    #[test]
    fn long_titles_are_shortened_in_the_footer() {
        let title = "Kronologi ".repeat(40);
        let text = footer_title(&title);
        assert_eq!(text.last(), Some(&0x85));
        assert!(Font::Regular.width(&text, FOOTER_SIZE) <= CONTENT_WIDTH * 0.65);
    }
}
