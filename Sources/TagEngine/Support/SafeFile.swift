import Foundation

/// File access under a directory the host owns (rules, plugins, exports)
/// that never follows a symbolic link: a link anywhere between the directory
/// and the file is refused with a clear error, so a dropped link cannot make
/// tagd read or write outside the directory.
public enum SafeFile {
    /// The first component of `relative` under `root` that is a symbolic link, if any.
    public static func symlink(in relative: String, under root: URL) -> String? {
        var path = root.standardizedFileURL.path
        var info = stat()
        for component in relative.split(separator: "/") where component != "." {
            path += "/" + component
            guard lstat(path, &info) == 0 else { return nil }  // missing: nothing to follow
            if info.st_mode & S_IFMT == S_IFLNK { return path }
        }
        return nil
    }

    /// Reads `relative` under `root` as UTF-8, refusing symbolic links.
    public static func read(_ relative: String, under root: URL, shownAs: String) throws(SafeFileError) -> String {
        if let link = symlink(in: relative, under: root) {
            throw SafeFileError("\(shownAs): \(link) is a symbolic link (refused: files must be regular files inside the directory)")
        }
        let path = root.appendingPathComponent(relative).path
        let fd = open(path, O_RDONLY | O_NOFOLLOW)
        guard fd >= 0 else { throw SafeFileError("\(shownAs): cannot open: \(String(cString: strerror(errno)))") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        guard let data = try? handle.readToEnd() ?? Data() else { throw SafeFileError("\(shownAs): cannot read") }
        guard let text = String(data: data, encoding: .utf8) else { throw SafeFileError("\(shownAs): not valid UTF-8") }
        return text
    }

    /// Appends `line` and a newline to `relative` under `root`, creating
    /// directories and the file as needed, refusing symbolic links and lines
    /// with line breaks (which would inject lines).
    public static func appendLine(_ line: String, to relative: String, under root: URL) throws(SafeFileError) {
        guard !line.contains(where: \.isNewline) else {
            throw SafeFileError("\(relative): a line must not contain line breaks (one message, one line)")
        }
        var directory = root.standardizedFileURL.path
        if mkdir(directory, 0o755) != 0, errno != EEXIST { throw SafeFileError("\(directory): \(String(cString: strerror(errno)))") }
        let parts = relative.split(separator: "/")
        for component in parts.dropLast() {
            directory += "/" + component
            if mkdir(directory, 0o755) != 0, errno != EEXIST { throw SafeFileError("\(directory): \(String(cString: strerror(errno)))") }
        }
        if let link = symlink(in: relative, under: root) {
            throw SafeFileError("\(link) is a symbolic link (refused: exports are written only inside the exports directory)")
        }
        let fd = open(root.standardizedFileURL.path + "/" + relative, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw SafeFileError("\(relative): cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array((line + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw SafeFileError("\(relative): short write") }
    }
}

/// A file the host refused or could not use.
public struct SafeFileError: Error, Sendable, CustomStringConvertible {
    /// What and why.
    public let description: String
    init(_ description: String) { self.description = description }
}
