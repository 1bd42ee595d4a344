use std::io::Write;

use lentera_search::extract::{
    ExtractError, Limits, MIME_CSV, MIME_DOCX, MIME_PDF, MIME_TEXT, MIME_XLSX, extract,
    extract_text,
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

fn limits(max_output_bytes: usize) -> Limits {
    Limits {
        max_output_bytes,
        ..Limits::default()
    }
}

fn render_pdf(paragraphs: usize) -> Vec<u8> {
    let mut doc = lentera_render::Document::new("Daftar informasi publik");
    for i in 0..paragraphs {
        doc.push(lentera_render::Block::Paragraph(format!(
            "Paragraf {i}: informasi berkala tentang anggaran dan pengadaan."
        )));
    }
    doc.to_pdf()
}

#[test]
fn output_is_capped_for_every_format() {
    let pdf = extract(&render_pdf(40), MIME_PDF, &limits(100)).expect("pdf");
    assert!(pdf.truncated && pdf.text.len() <= 100, "{pdf:?}");
    assert!(pdf.text.contains("Paragraf 0"), "{pdf:?}");

    let mut xml = String::from("<w:document><w:body>");
    for _ in 0..100 {
        xml.push_str("<w:p><w:r><w:t>Surat keputusan</w:t></w:r></w:p>");
    }
    xml.push_str("</w:body></w:document>");
    let docx = extract(&docx_bytes(&xml), MIME_DOCX, &limits(50)).expect("docx");
    assert!(docx.truncated && docx.text.len() <= 50, "{docx:?}");

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for row in 0..100 {
        sheet.write_string(row, 0, "Kegiatan").expect("cell");
    }
    let bytes = book.save_to_buffer().expect("xlsx");
    let xlsx = extract(&bytes, MIME_XLSX, &limits(50)).expect("xlsx");
    assert!(xlsx.truncated && xlsx.text.len() <= 50, "{xlsx:?}");

    // Multi-byte characters are never cut in half.
    let text = extract("ééééé".as_bytes(), MIME_TEXT, &limits(5)).expect("text");
    assert_eq!((text.text.as_str(), text.truncated), ("éé", true));
    let csv = extract(b"a,b\n1,2\n", MIME_CSV, &limits(4)).expect("csv");
    assert_eq!((csv.text.as_str(), csv.truncated), ("a,b\n", true));
    let whole = extract(&render_pdf(2), MIME_PDF, &Limits::default()).expect("pdf");
    assert!(!whole.truncated);
}

#[test]
fn csv_is_extracted_as_text() {
    let csv = b"tanggal,jenis,nama\n2027-01-01,libur,Tahun Baru \xff\n";
    let text = extract_text(csv, "text/csv; charset=utf-8").expect("csv");
    assert_eq!(
        text,
        "tanggal,jenis,nama\n2027-01-01,libur,Tahun Baru \u{fffd}\n"
    );
}

/// A one-page PDF whose content stream has `filter` and `data`.
fn pdf_with_content(dict: &str, data: &[u8], trailer_extra: &str) -> Vec<u8> {
    let mut stream = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    stream.extend_from_slice(data);
    stream.extend_from_slice(b"\nendstream");
    let objects: [&[u8]; 4] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        &stream,
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let start = out.len();
    out.extend_from_slice(b"xref\n0 5\n0000000000 65535 f \n");
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size 5 /Root 1 0 R {trailer_extra} >>\nstartxref\n{start}\n%%EOF\n")
            .as_bytes(),
    );
    out
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).expect("compress");
    encoder.finish().expect("compress")
}

#[test]
fn pdf_streams_count_every_decoding_stage() {
    let content = vec![b' '; 2 << 20];
    let small = Limits {
        max_uncompressed_bytes: 1 << 20,
        ..Limits::default()
    };
    let flate = pdf_with_content("/Filter /FlateDecode", &zlib(&content), "");
    assert!(matches!(
        extract(&flate, MIME_PDF, &small),
        Err(ExtractError::TooLarge("PDF"))
    ));
    assert!(extract(&flate, MIME_PDF, &Limits::default()).is_ok());

    // LZW, as old scanners write it; lopdf decodes it as well.
    let lzw = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
        .encode(&content)
        .expect("lzw");
    let lzw_pdf = pdf_with_content("/Filter /LZWDecode", &lzw, "");
    assert!(matches!(
        extract(&lzw_pdf, MIME_PDF, &small),
        Err(ExtractError::TooLarge("PDF"))
    ));

    // The flate stage inflates a small ASCII85 text into the large content.
    let encoded = ascii85(&zlib(&content));
    let chained = pdf_with_content("/Filter [/ASCII85Decode /FlateDecode]", &encoded, "");
    assert!(matches!(
        extract(&chained, MIME_PDF, &small),
        Err(ExtractError::TooLarge("PDF"))
    ));
    let text = pdf_with_content(
        "/Filter [/ASCII85Decode /FlateDecode]",
        &ascii85(&zlib(b"BT ET")),
        "",
    );
    assert!(extract(&text, MIME_PDF, &small).is_ok());
}

fn ascii85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(4) {
        let mut group = [0u8; 4];
        group[..chunk.len()].copy_from_slice(chunk);
        let mut n = u32::from_be_bytes(group);
        let mut digits = [0u8; 5];
        for d in digits.iter_mut().rev() {
            *d = (n % 85) as u8 + b'!';
            n /= 85;
        }
        out.extend_from_slice(&digits[..chunk.len() + 1]);
    }
    out.extend_from_slice(b"~>");
    out
}

#[test]
fn encrypted_pdfs_are_not_read() {
    let pdf = pdf_with_content("", b"BT ET", "/Encrypt 9 0 R /ID [<00> <00>]");
    assert!(matches!(
        extract_text(&pdf, MIME_PDF),
        Err(ExtractError::Encrypted("PDF"))
    ));
    // Names may spell letters as #xx.
    let escaped = pdf_with_content("", b"BT ET", "/En#63rypt 9 0 R");
    assert!(matches!(
        extract_text(&escaped, MIME_PDF),
        Err(ExtractError::Encrypted("PDF"))
    ));
}
