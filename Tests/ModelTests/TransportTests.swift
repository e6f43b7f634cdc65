import Foundation
import HTTP
import JSON
import Judge
import TestSupport
import Testing

/// libcurl against a real socket on 127.0.0.1.
@Suite struct TransportTests {
    let transport = CurlTransport()

    @Test func postsTheBodyAndHeadersAndReadsTheAnswer() throws {
        let server = try FakeModelServer { request, _ in
            .json(["echo": .string(String(decoding: request.body, as: UTF8.self))], headers: ["Retry-After": "7"])
        }
        defer { server.stop() }
        let response = try transport.send(
            HTTPRequest(url: server.openAIBaseURL + "/chat/completions", headers: [("X-Test", "yes")], body: Data("{\"a\":1}".utf8)),
            timeouts: HTTPTimeouts(connect: 2, total: 5))
        #expect(response.status == 200)
        #expect(JSONValue.parse(response.body)?["echo"]?.string == "{\"a\":1}")
        #expect(response.retryAfter() == 7)
        let seen = try #require(server.requests.first)
        #expect(seen.method == "POST")
        #expect(seen.path == "/v1/chat/completions")
        #expect(seen.headers["x-test"] == "yes")
        #expect(seen.headers["expect"] == nil)
    }

    @Test func aLargeBodyArrivesWhole() throws {
        let server = try FakeModelServer { request, _ in .json(["size": .number(Double(request.body.count))]) }
        defer { server.stop() }
        let big = Data(repeating: UInt8(ascii: "x"), count: 3 << 20)
        let response = try transport.send(HTTPRequest(url: server.openAIBaseURL, body: big), timeouts: HTTPTimeouts(total: 20))
        #expect(JSONValue.parse(response.body)?["size"]?.integer == big.count)
    }

    @Test func aHungServerTimesOut() throws {
        let server = try FakeModelServer { _, _ in .hang(seconds: 10) }
        defer { server.stop() }
        let error = failure { () throws(HTTPError) in
            _ = try transport.send(HTTPRequest(url: server.openAIBaseURL), timeouts: HTTPTimeouts(connect: 2, total: 1))
        }
        guard case .timedOut = error else { Issue.record("expected a timeout, got \(String(describing: error))"); return }
        #expect(error?.isTransient == true)
    }

    @Test func aCutOffAnswerIsATransferError() throws {
        let server = try FakeModelServer { _, _ in .truncated(["text": .string(String(repeating: "y", count: 5000))]) }
        defer { server.stop() }
        let error = failure { () throws(HTTPError) in
            _ = try transport.send(HTTPRequest(url: server.openAIBaseURL), timeouts: HTTPTimeouts(total: 5))
        }
        guard case .transfer = error else { Issue.record("expected a transfer error, got \(String(describing: error))"); return }
        #expect(error?.isTransient == true)
    }

    @Test func aClosedPortIsAConnectionFailure() throws {
        let server = try FakeModelServer { _, _ in .json([:]) }
        let port = server.port
        server.stop()
        usleep(100_000)
        let error = failure { () throws(HTTPError) in
            _ = try transport.send(HTTPRequest(url: "http://127.0.0.1:\(port)/v1"), timeouts: HTTPTimeouts(connect: 2, total: 3))
        }
        guard case .connectionFailed = error else { Issue.record("expected connectionFailed, got \(String(describing: error))"); return }
    }

    @Test func answersOverTheLimitAreRefused() throws {
        let server = try FakeModelServer { _, _ in .json(["text": .string(String(repeating: "z", count: 100_000))]) }
        defer { server.stop() }
        #expect(throws: HTTPError.responseTooLarge(10_000)) {
            _ = try CurlTransport(maximumResponseBytes: 10_000).send(HTTPRequest(url: server.openAIBaseURL), timeouts: HTTPTimeouts(total: 5))
        }
    }

    @Test func onlyHTTPSchemesAreAllowed() {
        #expect(throws: HTTPError.self) {
            _ = try transport.send(HTTPRequest(method: "GET", url: "file:///etc/passwd"), timeouts: HTTPTimeouts(total: 2))
        }
    }

    @Test func retryAfterReadsSecondsAndDates() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(HTTPResponse(status: 429, headers: ["retry-after": "3"], body: Data()).retryAfter(now: now) == 3)
        let later = HTTPResponse(status: 429, headers: ["retry-after": "Tue, 14 Nov 2023 22:13:30 GMT"], body: Data())
        #expect(later.retryAfter(now: now) == 10)
        #expect(HTTPResponse(status: 429, body: Data()).retryAfter(now: now) == nil)
    }
}

/// The error `body` threw, or nil when it did not throw.
func failure(_ body: () throws(HTTPError) -> Void) -> HTTPError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}

@Suite struct JSONValueTests {
    @Test func keepsKeyOrderBothWays() throws {
        let text = #"{"z":1,"a":[true,false,null],"m":{"y":"\u00e9\n\"q\"","b":-2.5e3}}"#
        let value = try #require(JSONValue.parse(text))
        #expect(value.keys == ["z", "a", "m"])
        #expect(value["a"]?[0]?.bool == true)
        #expect(value["a"]?[2] == .null)
        #expect(value["m"]?["y"]?.string == "é\n\"q\"")
        #expect(value["m"]?["b"]?.number == -2500)
        #expect(JSONValue.parse(value.serialized()) == value)
        #expect(value.serialized().hasPrefix(#"{"z":1,"a":"#))
    }

    @Test func rejectsWhatIsNotJSON() {
        for bad in ["{\"a\":1", "{\"a\" 1}", "[1,]", "tru", "{\"a\":\"\u{01}\"}", "1 2", "{'a':1}"] {
            #expect(JSONValue.parse(bad) == nil, "\(bad)")
        }
        #expect(JSONValue.parse("\"\\ud83d\\ude00\"")?.string == "😀")
    }
}

@Suite struct DigestTests {
    @Test func sha256KnownAnswers() {
        #expect(SHA256.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Data(repeating: 0x61, count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
