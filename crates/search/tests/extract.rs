use std::io::Write;

use lentera_search::extract::{
    ExtractError, MIME_DOCX, MIME_PDF, MIME_TEXT, MIME_XLSX, extract_text,
};

fn docx_bytes(document_xml: &str) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("[Content_Types].xml", options)
            .expect("entry");
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).expect("write");
        zip.start_file("word/document.xml", options).expect("entry");
        zip.write_all(document_xml.as_bytes()).expect("write");
        zip.finish().expect("finish");
    }
    buf.into_inner()
}

#[test]
fn pdf_from_lentera_render() {
    let mut doc = lentera_render::Document::new("Kronologi sengketa informasi");
    doc.push(lentera_render::Block::Title(
        "Kronologi sengketa informasi".into(),
    ))
    .push(lentera_render::Block::Paragraph(
        "Permohonan informasi pengadaan barang dikecualikan sebagian oleh Dinas Kesehatan.".into(),
    ));
    let text = extract_text(&doc.to_pdf(), MIME_PDF).expect("pdf text");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Kronologi sengketa informasi"), "{flat}");
    assert!(
        flat.contains("Permohonan informasi pengadaan barang dikecualikan"),
        "{flat}"
    );
}

#[test]
fn docx_paragraphs() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>Surat keputusan</w:t></w:r><w:r><w:t xml:space="preserve"> tentang pengadaan</w:t></w:r></w:p>
<w:p><w:r><w:t>Anggaran &amp; realisasi</w:t></w:r></w:p>
</w:body></w:document>"#;
    let text = extract_text(&docx_bytes(xml), MIME_DOCX).expect("docx text");
    assert_eq!(
        text,
        "Surat keputusan tentang pengadaan\nAnggaran & realisasi\n"
    );
}

#[test]
fn xlsx_all_sheets() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Realisasi").expect("name");
    sheet.write_string(0, 0, "Kegiatan").expect("cell");
    sheet.write_string(0, 1, "Anggaran").expect("cell");
    sheet
        .write_string(1, 0, "Pembangunan jembatan")
        .expect("cell");
    sheet.write_number(1, 1, 1_250_000.0).expect("cell");
    let second = book.add_worksheet();
    second.set_name("Penerima").expect("name");
    second.write_string(0, 0, "Desa Sidorejo").expect("cell");
    let bytes = book.save_to_buffer().expect("xlsx");
    let text = extract_text(&bytes, MIME_XLSX).expect("xlsx text");
    assert!(text.contains("Kegiatan\tAnggaran"), "{text}");
    assert!(text.contains("Pembangunan jembatan\t1250000"), "{text}");
    assert!(text.contains("Penerima\nDesa Sidorejo"), "{text}");
}

#[test]
fn plain_text_is_lossy_utf8() {
    let text = extract_text(b"Informasi publik \xff berkala", MIME_TEXT).expect("text");
    assert_eq!(text, "Informasi publik \u{fffd} berkala");
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for mime in [MIME_PDF, MIME_DOCX, MIME_XLSX] {
        assert!(extract_text(&garbage, mime).is_err(), "{mime}");
        assert!(extract_text(b"", mime).is_err(), "{mime} empty");
    }
    let mut broken_pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n".to_vec();
    broken_pdf.extend_from_slice(&garbage);
    assert!(extract_text(&broken_pdf, MIME_PDF).is_err());
    // A zip that is not a DOCX.
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(b"halo").expect("write");
        zip.finish().expect("finish");
    }
    let not_docx = buf.into_inner();
    assert!(extract_text(&not_docx, MIME_DOCX).is_err());
    assert!(extract_text(&not_docx, MIME_XLSX).is_err());
    // A truncated real PDF.
    let pdf = lentera_render::Document::new("x").to_pdf();
    assert!(extract_text(&pdf[..pdf.len() / 2], MIME_PDF).is_err());
}

#[test]
fn zip_bomb_is_refused() {
    // 30 MB of zeros deflates to a few tens of KB.
    let zeros = vec![b'0'; 30 * 1024 * 1024];
    let mut xml = String::from("<w:document><w:body><w:p><w:r><w:t>");
    xml.push_str(std::str::from_utf8(&zeros).expect("ascii"));
    xml.push_str("</w:t></w:r></w:p></w:body></w:document>");
    let bytes = docx_bytes(&xml);
    assert!(bytes.len() < 1024 * 1024);
    assert!(matches!(
        extract_text(&bytes, MIME_DOCX),
        Err(ExtractError::TooLarge(_))
    ));
    assert!(matches!(
        extract_text(&bytes, MIME_XLSX),
        Err(ExtractError::TooLarge(_))
    ));
}
