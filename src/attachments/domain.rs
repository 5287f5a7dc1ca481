//! What an attachment may be: JPEG, PNG or PDF, told by the content's magic bytes, at most
//! [`MAX_BYTES`]. The declared type and the file name are never trusted.

/// The largest file taken: 5 MB.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// A stored file's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    Jpeg,
    Png,
    Pdf,
}

impl FileType {
    pub const ALL: [FileType; 3] = [FileType::Jpeg, FileType::Png, FileType::Pdf];

    /// The MIME type stored in `attachments.content_type` and served as `Content-Type`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Pdf => "application/pdf",
        }
    }

    pub fn parse(text: &str) -> Option<FileType> {
        Self::ALL.into_iter().find(|t| t.as_str() == text)
    }

    /// Images are shown inline; PDFs are downloaded.
    pub fn inline(self) -> bool {
        !matches!(self, FileType::Pdf)
    }
}

/// The type the content's first bytes say, or `None`.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        Some(FileType::Png)
    } else if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else {
        None
    }
}

/// Why a file is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    Empty,
    TooLarge,
    WrongType,
}

/// Checks a file's size and type.
pub fn check(bytes: &[u8]) -> Result<FileType, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refused::TooLarge);
    }
    sniff(bytes).ok_or(Refused::WrongType)
}

/// A file name kept for display: the last path segment, control characters dropped, at most
/// 200 characters; "file" when nothing is left.
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let kept: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    if kept.trim().is_empty() {
        "file".into()
    } else {
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_told_by_content_only() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]), Some(FileType::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n"), Some(FileType::Png));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(FileType::Pdf));
        assert_eq!(sniff(b"hello, I am a .jpg"), None);
        assert_eq!(check(b""), Err(Refused::Empty));
        assert_eq!(check(&vec![0xFF; MAX_BYTES + 1]), Err(Refused::TooLarge));
        let mut ok = vec![0xFF, 0xD8, 0xFF];
        ok.resize(MAX_BYTES, 0);
        assert_eq!(check(&ok), Ok(FileType::Jpeg));
        for t in FileType::ALL {
            assert_eq!(FileType::parse(t.as_str()), Some(t));
        }
    }

    #[test]
    fn names_lose_their_paths_and_control_characters() {
        assert_eq!(clean_name("C:\\photos\\村口.jpg"), "村口.jpg");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b.png"), "ab.png");
        assert_eq!(clean_name(""), "file");
    }
}
