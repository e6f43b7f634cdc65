import CPNG

/// Errors of the PNG codec, with libpng's own message.
public enum PNGError: Error, CustomStringConvertible, Sendable {
    case encodeFailed(String)
    case decodeFailed(String)

    public var description: String {
        switch self {
        case .encodeFailed(let m): "PNG encoding failed: \(m)."
        case .decodeFailed(let m): "The file is not a readable PNG image: \(m)."
        }
    }
}

/// PNG encoding and decoding over libpng (through the CPNG C target).
public enum PNG {
    /// How hard the encoder works. `.fast` is what frames use: a 1280x800 UI screen encodes in a
    /// few milliseconds; `.small` is libpng's default filtering at zlib level 6.
    public enum Effort: Sendable {
        case fast, small
    }

    /// Encodes the image as an 8-bit RGB PNG. Calls `cpng_encode_rgba`.
    public static func encode(_ image: Image, effort: Effort = .fast) throws(PNGError) -> [UInt8] {
        var result = cpng_result()
        let status = image.pixels.withUnsafeBufferPointer { buffer in
            cpng_encode_rgba(
                buffer.baseAddress, UInt32(image.width), UInt32(image.height), image.width * 4,
                effort == .fast ? 1 : 6, effort == .fast ? 1 : 0, 0, &result)
        }
        guard status == 0, let data = result.data else { throw .encodeFailed(message(of: &result)) }
        defer { cpng_free(data) }
        return Array(UnsafeBufferPointer(start: data, count: result.length))
    }

    /// Decodes a PNG of any colour type into RGBA. Calls `cpng_decode_rgba`.
    public static func decode(_ bytes: [UInt8]) throws(PNGError) -> Image {
        var result = cpng_result()
        let status = bytes.withUnsafeBufferPointer { cpng_decode_rgba($0.baseAddress, $0.count, &result) }
        guard status == 0, let data = result.data else { throw .decodeFailed(message(of: &result)) }
        defer { cpng_free(data) }
        return Image(
            width: Int(result.width), height: Int(result.height),
            pixels: Array(UnsafeBufferPointer(start: data, count: result.length)))
    }

    private static func message(of result: inout cpng_result) -> String {
        withUnsafeBytes(of: &result.error) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}
