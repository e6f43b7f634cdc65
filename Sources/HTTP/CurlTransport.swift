import CCurl
import Foundation

/// HTTP over libcurl. TLS peers are verified (libcurl's default, never turned off), proxies
/// come from the usual environment variables (`https_proxy`, `no_proxy`, ...), redirects are
/// not followed, and only http and https are allowed.
public struct CurlTransport: HTTPTransport {
    /// Answers larger than this are cut off with `responseTooLarge`.
    public var maximumResponseBytes: Int

    public init(maximumResponseBytes: Int = 32 << 20) {
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// curl_global_init is not thread-safe; a static let runs it exactly once.
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    public func send(_ request: HTTPRequest, timeouts: HTTPTimeouts) throws(HTTPError) -> HTTPResponse {
        guard Self.initialized, let curl = curl_easy_init() else { throw .invalidRequest("libcurl could not be initialised") }
        defer { curl_easy_cleanup(curl) }
        let sink = ResponseSink(limit: maximumResponseBytes)
        let context = Unmanaged.passUnretained(sink).toOpaque()
        var headers: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headers) }
        for header in request.headers {
            headers = curl_slist_append(headers, "\(header.name): \(header.value)")
        }
        // Without this libcurl sends "Expect: 100-continue" for large bodies and waits for it.
        headers = curl_slist_append(headers, "Expect:")

        var failed: CURLcode = CURLE_OK
        func set(_ code: CURLcode) { if failed == CURLE_OK, code != CURLE_OK { failed = code } }
        set(appjudge_curl_set_string(curl, CURLOPT_URL, request.url))
        set(appjudge_curl_set_string(curl, CURLOPT_PROTOCOLS_STR, "http,https"))
        set(appjudge_curl_set_long(curl, CURLOPT_NOSIGNAL, 1))  // signals and threads do not mix
        set(appjudge_curl_set_long(curl, CURLOPT_FOLLOWLOCATION, 0))
        set(appjudge_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT_MS, Int(timeouts.connect * 1000)))
        set(appjudge_curl_set_long(curl, CURLOPT_TIMEOUT_MS, Int(timeouts.total * 1000)))
        set(appjudge_curl_set_long(curl, CURLOPT_LOW_SPEED_LIMIT, timeouts.lowSpeedBytes))
        set(appjudge_curl_set_long(curl, CURLOPT_LOW_SPEED_TIME, max(1, Int(timeouts.lowSpeedSeconds.rounded(.up)))))
        set(appjudge_curl_set_pointer(curl, CURLOPT_HTTPHEADER, headers))
        set(
            appjudge_curl_set_callback(
                curl, CURLOPT_WRITEFUNCTION,
                { data, size, count, context in
                    Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue().body(data, size * count)
                }))
        set(appjudge_curl_set_pointer(curl, CURLOPT_WRITEDATA, context))
        set(
            appjudge_curl_set_callback(
                curl, CURLOPT_HEADERFUNCTION,
                { data, size, count, context in
                    Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue().header(data, size * count)
                }))
        set(appjudge_curl_set_pointer(curl, CURLOPT_HEADERDATA, context))
        switch request.method {
        case "GET": set(appjudge_curl_set_long(curl, CURLOPT_HTTPGET, 1))
        case "POST":
            set(appjudge_curl_set_size(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            // COPYPOSTFIELDS copies the body, so it need not outlive this scope.
            set(
                request.body.withUnsafeBytes { raw in
                    appjudge_curl_set_pointer(
                        curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
                })
        default: throw .invalidRequest("method \(request.method) is not supported")
        }
        guard failed == CURLE_OK else { throw .invalidRequest(Self.message(failed)) }

        let code = curl_easy_perform(curl)
        if sink.overflowed { throw .responseTooLarge(maximumResponseBytes) }
        switch code {
        case CURLE_OK: break
        case CURLE_OPERATION_TIMEDOUT: throw .timedOut(Self.message(code))
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            throw .connectionFailed(Self.message(code))
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: throw .invalidRequest(Self.message(code))
        default: throw .transfer(Self.message(code))
        }
        return HTTPResponse(status: appjudge_curl_response_code(curl), headers: sink.headers, body: sink.data)
    }

    private static func message(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}

/// Collects one response; libcurl calls into it on the thread that runs the transfer.
private final class ResponseSink {
    let limit: Int
    var data = Data()
    var headers: [String: String] = [:]
    var overflowed = false

    init(limit: Int) { self.limit = limit }

    func body(_ bytes: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let bytes, data.count + count <= limit else {
            overflowed = bytes != nil
            return 0  // anything but `count` makes libcurl abort the transfer
        }
        data.append(UnsafeRawPointer(bytes).assumingMemoryBound(to: UInt8.self), count: count)
        return count
    }

    func header(_ bytes: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let bytes else { return 0 }
        let line = String(decoding: UnsafeRawBufferPointer(start: bytes, count: count), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers = [:]  // a new response (after a 100 Continue or a proxy's CONNECT) starts over
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return count
    }
}
