//! A machine action's `errorHResult` as words: the common HRESULTs Microsoft lists
//! (https://learn.microsoft.com/en-us/windows/win32/seccrypto/common-hresult-values) and a few
//! Win32 errors wrapped as HRESULTs (`0x8007xxxx`, winerror.h) that a device reports when a
//! file, a path or the disk is the problem; anything else as its hex value.

/// The 32-bit value of an HRESULT as the service sends it: a signed 32-bit number
/// (`-2147024809`) or, from some clients, its unsigned form (`2147942487`).
pub fn code(h: i64) -> Option<u32> {
    if let Ok(v) = i32::try_from(h) {
        return Some(v as u32);
    }
    u32::try_from(h).ok()
}

/// The name and meaning of a known HRESULT.
fn known(h: u32) -> Option<(&'static str, &'static str)> {
    Some(match h {
        0x8000_4001 => ("E_NOTIMPL", "not implemented"),
        0x8000_4002 => ("E_NOINTERFACE", "no such interface supported"),
        0x8000_4003 => ("E_POINTER", "pointer that is not valid"),
        0x8000_4004 => ("E_ABORT", "operation aborted"),
        0x8000_4005 => ("E_FAIL", "unspecified failure"),
        0x8000_FFFF => ("E_UNEXPECTED", "unexpected failure"),
        0x8007_0005 => ("E_ACCESSDENIED", "access denied"),
        0x8007_0006 => ("E_HANDLE", "handle that is not valid"),
        0x8007_000E => ("E_OUTOFMEMORY", "failed to allocate necessary memory"),
        0x8007_0057 => ("E_INVALIDARG", "one or more arguments are not valid"),
        0x8007_0002 => (
            "ERROR_FILE_NOT_FOUND",
            "the file was not found on the device",
        ),
        0x8007_0003 => (
            "ERROR_PATH_NOT_FOUND",
            "the path was not found on the device",
        ),
        0x8007_0020 => (
            "ERROR_SHARING_VIOLATION",
            "the file is in use by another process",
        ),
        0x8007_0070 => ("ERROR_DISK_FULL", "not enough space on the disk"),
        0x8007_04C7 => ("ERROR_CANCELLED", "the operation was cancelled"),
        0x8007_05B4 => ("ERROR_TIMEOUT", "the operation timed out"),
        _ => return None,
    })
}

/// `0x80070057 E_INVALIDARG: one or more arguments are not valid`, or the hex value alone;
/// `None` for 0 (no failure) or a value that is not an HRESULT.
pub(crate) fn describe(h: i64) -> Option<String> {
    let c = code(h)?;
    if c == 0 {
        return None;
    }
    Some(match known(c) {
        Some((name, what)) => format!("0x{c:08X} {name}: {what}"),
        None => format!("0x{c:08X}"),
    })
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn signed_and_unsigned_forms_decode_the_same() {
        let want = "0x80070057 E_INVALIDARG: one or more arguments are not valid";
        assert_eq!(describe(-2147024809).as_deref(), Some(want));
        assert_eq!(describe(2147942487).as_deref(), Some(want));
        assert_eq!(
            describe(-2147467259).as_deref(),
            Some("0x80004005 E_FAIL: unspecified failure")
        );
    }

    #[test]
    fn unknown_values_are_hex_and_zero_is_no_failure() {
        assert_eq!(describe(0), None);
        assert_eq!(describe(-2147012894).as_deref(), Some("0x80072EE2"));
        assert_eq!(describe(1 << 40), None);
    }
}
