//! Checks of a loaded PDF for what pdf-extract follows without a guard. It looks for inherited
//! page attributes up the `/Parent` chain and draws forms (`Do`) recursively, neither noticing
//! a cycle: the stack overflows, which aborts the process rather than unwinding, so no
//! `catch_unwind` helps. Forms that draw others many times over are refused too: pdf-extract
//! would draw each one every time, without end for a few levels of nesting.

use std::collections::{HashMap, HashSet};

use pdf_extract::{Dictionary, Document, Object, ObjectId};

/// Forms inside forms, deeper than real documents nest them.
const MAX_FORM_DEPTH: usize = 32;
/// Forms drawn for one page, counting each time a form is drawn.
const MAX_FORMS_DRAWN: u64 = 100_000;

pub(super) fn check(doc: &Document) -> Result<(), &'static str> {
    let empty = Dictionary::new();
    for (_, page_id) in doc.get_pages() {
        let page = doc
            .get_dictionary(page_id)
            .map_err(|_| "a page is not a dictionary")?;
        let resources = inherited_resources(doc, page)?.unwrap_or(&empty);
        let content = doc.get_page_content(page_id).unwrap_or_default();
        let mut forms = Forms {
            doc,
            drawn: HashMap::new(),
            open: HashSet::new(),
        };
        let drawn = forms.count(&content, resources, 0)?;
        if drawn > MAX_FORMS_DRAWN {
            return Err("forms are drawn too many times");
        }
    }
    Ok(())
}

fn parent<'a>(doc: &'a Document, dict: &Dictionary) -> Option<(ObjectId, &'a Dictionary)> {
    let id = dict.get(b"Parent").and_then(Object::as_reference).ok()?;
    doc.get_dictionary(id).ok().map(|d| (id, d))
}

/// The page's `/Resources`, its own or its nearest ancestor's, as pdf-extract finds them; a
/// cycle in the `/Parent` chain is an error, whether or not an attribute is missing.
fn inherited_resources<'a>(
    doc: &'a Document,
    page: &'a Dictionary,
) -> Result<Option<&'a Dictionary>, &'static str> {
    let mut seen = HashSet::new();
    let mut found = resources_of(doc, page);
    let mut node = page;
    while let Some((id, up)) = parent(doc, node) {
        if !seen.insert(id) {
            return Err("the page tree has a cycle");
        }
        if found.is_none() {
            found = resources_of(doc, up);
        }
        node = up;
    }
    Ok(found)
}

fn resources_of<'a>(doc: &'a Document, dict: &'a Dictionary) -> Option<&'a Dictionary> {
    let value = dict.get(b"Resources").ok()?;
    doc.dereference(value)
        .ok()
        .and_then(|(_, o)| o.as_dict().ok())
}

struct Forms<'a> {
    doc: &'a Document,
    /// Forms drawn below a form in a resource context, once counted.
    drawn: HashMap<(ObjectId, usize), u64>,
    /// Forms being counted: meeting one again is a cycle.
    open: HashSet<ObjectId>,
}

impl<'a> Forms<'a> {
    /// How many forms drawing `content` with `resources` draws, nested ones included.
    fn count(
        &mut self,
        content: &[u8],
        resources: &'a Dictionary,
        depth: usize,
    ) -> Result<u64, &'static str> {
        if depth > MAX_FORM_DEPTH {
            return Err("forms nest too deeply");
        }
        let xobjects = resources
            .get(b"XObject")
            .ok()
            .and_then(|o| self.doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        let mut total = 0u64;
        for name in drawn_names(content) {
            let Some(xobjects) = xobjects else { break };
            let Some((Some(id), Object::Stream(form))) = xobjects
                .get(&name)
                .ok()
                .and_then(|o| self.doc.dereference(o).ok())
            else {
                continue;
            };
            let inner = form
                .dict
                .get(b"Resources")
                .ok()
                .and_then(|o| self.doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok())
                .unwrap_or(resources);
            // The context is the resources dictionary itself, wherever it lives.
            let key = (id, std::ptr::from_ref(inner) as usize);
            let below = match self.drawn.get(&key) {
                Some(n) => *n,
                None => {
                    if !self.open.insert(id) {
                        return Err("a form draws itself");
                    }
                    let content = form
                        .decompressed_content()
                        .unwrap_or_else(|_| form.content.clone());
                    let n = self.count(&content, inner, depth + 1)?;
                    self.open.remove(&id);
                    self.drawn.insert(key, n);
                    n
                }
            };
            total = total.saturating_add(1).saturating_add(below);
            if total > MAX_FORMS_DRAWN {
                return Err("forms are drawn too many times");
            }
        }
        Ok(total)
    }
}

/// The operands of the `Do` operators of a content stream, in order.
fn drawn_names(content: &[u8]) -> Vec<Vec<u8>> {
    let mut names = Vec::new();
    let mut last_name: Option<Vec<u8>> = None;
    let mut at = 0;
    while let Some(&c) = content.get(at) {
        match c {
            _ if super::pdf_scan::is_whitespace(c) => at += 1,
            b'%' => {
                while content.get(at).is_some_and(|c| !matches!(c, b'\r' | b'\n')) {
                    at += 1;
                }
            }
            b'(' => {
                at = super::pdf_scan::literal_string_end(content, at).unwrap_or(content.len());
                last_name = None;
            }
            b'<' if content.get(at + 1) != Some(&b'<') => {
                at = memchr::memchr(b'>', &content[at..]).map_or(content.len(), |i| at + i + 1);
                last_name = None;
            }
            b'/' => {
                let (name, end) = super::pdf_scan::name(content, at + 1);
                last_name = Some(name);
                at = end;
            }
            _ if super::pdf_scan::is_regular(c) => {
                let len = content[at..]
                    .iter()
                    .take_while(|c| super::pdf_scan::is_regular(**c))
                    .count();
                if &content[at..at + len] == b"Do"
                    && let Some(name) = last_name.take()
                {
                    names.push(name);
                }
                last_name = None;
                at += len;
            }
            _ => {
                last_name = None;
                at += 1;
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn do_operands_are_found_outside_strings() {
        let content = b"q /Im1 Do (/Fake Do) Tj /F#31 Do % /Nope Do\n<2f> Do /X 1 Do";
        assert_eq!(drawn_names(content), vec![b"Im1".to_vec(), b"F1".to_vec()]);
    }
}
