package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One error path: whatever refuses a request (Spring MVC, the JSON reader, the multipart parser, the static resources,
 * Tomcat's connector) answers RFC 9457 problem+json with a precise detail, naming the field at fault, and a refused
 * write changes nothing.
 */
class ErrorPathTest extends ApiTest {
    private static final String PROBLEM = "application/problem+json";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static void assertProblem(Response response, int status, String detailContains) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(response.toString()).startsWith(PROBLEM);
        JsonNode problem = response.json();
        assertThat(problem.path("status").asInt()).as(response.toString()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).as(response.toString()).containsIgnoringCase(detailContains);
    }

    private static void assertFieldProblem(Response response, String field, String detailContains) {
        assertProblem(response, 400, detailContains);
        assertThat(response.json().path("field").asText()).as(response.toString()).isEqualTo(field);
    }

    /** A request with exactly this Content-Type (ApiTest's call always adds application/json). */
    private Response typed(String method, String path, String token, String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Content-Type", contentType)
                .header("Authorization", "Bearer " + token)
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String conversation(String service) {
        Response started = call("POST", "/api/ai/conversations", service,
                "{\"channel\": \"web\", \"contact_id\": \"c-1\"}", Map.of());
        assertThat(started.status()).as(started.toString()).isEqualTo(201);
        return started.json().path("id").asText();
    }

    @Test
    void aMultipartBodyWithoutBoundaryOnAJsonEndpointIs415() {
        String agent = token(newTenant(), "u", "agent");
        for (String path : List.of("/api/ai/kb/query", "/api/ai/assist/draft-reply")) {
            Response refused = typed("POST", path, agent, "multipart/form-data", "{\"query\": \"hours\"}");
            assertProblem(refused, 415, "'multipart/form-data' is not accepted here; send application/json");
        }
    }

    @Test
    void aBodyOfAWildcardOrAnotherTypeIs415() {
        String agent = token(newTenant(), "u", "agent");
        for (String type : List.of("*/*", "application/*", "text/plain", "application/xml")) {
            Response refused = typed("POST", "/api/ai/kb/query", agent, type, "{\"query\": \"hours\"}");
            assertProblem(refused, 415, "Content-Type '" + type + "' is not accepted here; send application/json");
        }
        assertProblem(typed("POST", "/api/ai/assist/draft-reply", agent, "*/*", "{}"), 415, "send application/json");
    }

    @Test
    void anUploadWithoutBoundaryIs400AndStoresNothing() {
        String admin = token(newTenant(), "a", "admin");
        Response noBoundary = typed("POST", "/api/ai/kb/sources", admin, "multipart/form-data",
                "--x\r\n\r\n--x--\r\n");
        assertProblem(noBoundary, 400, "names no boundary");
        assertThat(get("/api/ai/kb/sources", admin).json().path("items").size()).isZero();
    }

    @Test
    void anUnescapedQuoteInAnUploadsFileNameIs400AndStoresNothing() {
        String admin = token(newTenant(), "a", "admin");
        Response quoted = upload("/api/ai/kb/sources", admin, Map.of("type", "file"), "a\"; b.txt",
                "Our prices".getBytes(StandardCharsets.UTF_8));
        assertFieldProblem(quoted, "file", "Content-Disposition");
        assertThat(get("/api/ai/kb/sources", admin).json().path("items").size()).isZero();
    }

    @Test
    void aDuplicateKeyIs400NamingIt() {
        String agent = token(newTenant(), "u", "agent");
        assertFieldProblem(call("POST", "/api/ai/kb/query", agent, "{\"query\": \"x\", \"query\": \"y\"}", Map.of()),
                "query", "duplicate field 'query'");
        assertFieldProblem(call("POST", "/api/ai/kb/query", agent,
                "{\"query\": \"x\", \"filters\": {\"source_id\": \"a\", \"source_id\": \"b\"}}", Map.of()),
                "filters.source_id", "duplicate field 'filters.source_id'");
    }

    @Test
    void contentAfterTheJsonValueIs400() {
        String agent = token(newTenant(), "u", "agent");
        for (String trailing : List.of("{\"query\": \"x\"} ] {\"query\": \"y\"}", "{\"query\": \"x\"} {}",
                "{\"query\": \"x\"} 7")) {
            assertProblem(call("POST", "/api/ai/kb/query", agent, trailing, Map.of()), 400,
                    "content after the JSON value");
        }
    }

    @Test
    void aFractionWhereAnIntegerIsDueIs400() {
        String agent = token(newTenant(), "u", "agent");
        for (String fraction : List.of("2.7", "2.0", "1e1")) {
            assertFieldProblem(call("POST", "/api/ai/kb/query", agent,
                    "{\"query\": \"x\", \"top_k\": " + fraction + "}", Map.of()), "top_k", "'top_k' is a whole number");
        }
        assertFieldProblem(call("POST", "/api/ai/kb/query", agent, "{\"query\": \"x\", \"top_k\": 99999999999}",
                Map.of()), "top_k", "'top_k' is out of range");
    }

    @Test
    void aRefusedSettingsChangeLeavesTheSettingsAsTheyWere() {
        String admin = token(newTenant(), "a", "admin");
        Response set = put("/api/ai/settings", admin, "{\"required_fields\": {\"billing\": [\"policy_number\"]}}");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        JsonNode before = get("/api/ai/settings", admin).json().path("settings");

        assertFieldProblem(put("/api/ai/settings", admin, "{\"required_fields\": {\"billing\": null}}"),
                "required_fields.billing", "null is not one");
        assertFieldProblem(put("/api/ai/settings", admin, "{\"allowed_tools\": [\"create_ticket\", null]}"),
                "allowed_tools[1]", "null is not one");
        assertFieldProblem(put("/api/ai/settings", admin,
                "{\"confidence_threshold\": 0.5, \"confidence_threshold\": 0.9}"), "confidence_threshold", "duplicate");
        assertFieldProblem(put("/api/ai/settings", admin, "{\"approval_timeout_minutes\": 90.5}"),
                "approval_timeout_minutes", "got 90.5");
        assertProblem(put("/api/ai/settings", admin, "{\"log_content\": \"none\"} {\"log_content\": \"full\"}"), 400,
                "after the JSON");

        assertThat(get("/api/ai/settings", admin).json().path("settings")).isEqualTo(before);
    }

    @Test
    void aNulOrAnUnpairedSurrogateInAJsonStringIs400NamingTheField() {
        String tenant = newTenant();
        String service = token(tenant, "svc", "service");
        String agent = token(tenant, "u", "agent");
        String conversation = conversation(service);

        assertFieldProblem(call("POST", "/api/ai/conversations", service,
                "{\"channel\": \"web\", \"contact_id\": \"c\\u0000d\"}", Map.of()), "contact_id", "U+0000");
        assertFieldProblem(call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"hi \\ud800 there\"}", Map.of()), "text", "unpaired surrogate");
        assertFieldProblem(call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"\\udc00\"}", Map.of()), "text", "unpaired surrogate");
        assertFieldProblem(call("POST", "/api/crm/contacts", service,
                "{\"name\": \"Ana\", \"fields\": {\"plan\": \"gold\\u0000\"}}", Map.of()), "fields.plan", "U+0000");
        assertFieldProblem(call("POST", "/api/ai/kb/query", agent, "{\"query\": \"hours\\u0000\"}", Map.of()),
                "query", "U+0000");

        // a well-formed pair (an emoji) is text like any other
        Response emoji = call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"thanks \\ud83d\\ude00\"}", Map.of());
        assertThat(emoji.status()).as(emoji.toString()).isEqualTo(201);
        JsonNode messages = get("/api/ai/conversations/" + conversation, service).json().path("messages");
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).path("text").asText()).isEqualTo("thanks \uD83D\uDE00");
        assertThat(get("/api/ai/conversations", service).json().path("items")).hasSize(1);
        assertThat(get("/api/crm/contacts", service).json().path("items").size()).isZero();
    }

    @Test
    void aNulOrBytesThatAreNotUtf8InAQueryParameterIs400NamingIt() throws IOException {
        String service = token(newTenant(), "svc", "service");
        assertFieldProblem(get("/api/crm/tickets?contact_id=%00", service), "contact_id", "U+0000");
        assertFieldProblem(get("/api/crm/notes?conversation_id=a%00b", service), "conversation_id", "U+0000");
        // %ED%A0%80 is a lone surrogate in CESU-8, not UTF-8; Tomcat would drop the parameter silently
        assertFieldProblem(get("/api/crm/tickets?contact_id=%ED%A0%80", service), "contact_id", "not valid percent-encoded UTF-8");
        // java.net.URI refuses to send a bad escape: the socket sends it as an attacker would
        RawResponse badEscape = raw("GET /api/crm/tickets?contact_id=%zz HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + service + "\r\nConnection: close\r\n\r\n");
        assertThat(badEscape.status()).as(badEscape.toString()).isEqualTo(400);
        assertThat(badEscape.header("content-type")).startsWith(PROBLEM);
        JsonNode problem = JSON.readTree(badEscape.body());
        assertThat(problem.path("field").asText()).isEqualTo("contact_id");
        assertThat(problem.path("detail").asText()).isEqualTo("'%zz' is not valid percent-encoded UTF-8");
    }

    @Test
    void aBodyThatIsNotUtf8Is400AndChangesNothing() throws IOException, InterruptedException {
        String service = token(newTenant(), "svc", "service");
        // C0 AF is an overlong '/': a decoder that accepts it turns bytes no client means into a path separator
        byte[] body = "{\"channel\": \"web\", \"contact_id\": \"a\u00c0\u00afb\"}".getBytes(StandardCharsets.ISO_8859_1);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/ai/conversations"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + service)
                .build();
        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertProblem(new Response(answer.statusCode(), answer.headers(), answer.body()), 400, "not well-formed UTF-8");
        assertThat(get("/api/ai/conversations", service).json().path("items")).isEmpty();
    }

    @Test
    void aParameterNameTheFirewallRefusesIsAProblemWhereTheHandlerReadsItsParameters() {
        String admin = token(newTenant(), "ana", "admin");
        // the run list reads every parameter as a map, which is where the firewall checks their names
        assertProblem(get("/api/ai/runs?%0D%0A=x", admin), 400, "parameter name");
    }

    @Test
    void aDraftOfOnlyControlCharactersOrALoneSurrogateIs400() {
        String tenant = newTenant();
        String agent = token(tenant, "u", "agent");
        String conversation = conversation(token(tenant, "svc", "service"));
        Map<String, String> refusals = Map.of("\\u0001\\u0002\\u0007", "nothing to read", "\\u001b\\u001b", "nothing to read",
                "\\u200b\\u0008 \\t", "nothing to read", "\\ud800", "unpaired surrogate (U+D800)",
                "\\u0000", "NUL character (U+0000)");
        refusals.forEach((message, detail) -> assertFieldProblem(call("POST", "/api/ai/assist/draft-reply", agent,
                "{\"conversation_id\": \"" + conversation + "\", \"message\": \"" + message + "\"}", Map.of()),
                "message", detail));
        assertThat(get("/api/ai/runs", token(tenant, "x", "auditor")).json().path("items").size()).isZero();
    }

    @Test
    void aConversationMessageOfOnlyControlCharactersIs400AndNotPosted() {
        String service = token(newTenant(), "svc", "service");
        String conversation = conversation(service);
        assertFieldProblem(call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"\\u0001\\u0007 \\u200b\"}", Map.of()), "text", "text to read");
        assertThat(get("/api/ai/conversations/" + conversation, service).json().path("messages").size()).isZero();
    }

    @Test
    void springsErrorPageIsAProblem() {
        for (String accept : List.of("application/json", "text/html", "*/*")) {
            Response error = call("GET", "/error", null, null, Map.of("Accept", accept));
            assertProblem(error, 404, "nothing at /error");
        }
        assertThat(get("/v3/api-docs", null).json().path("paths").has("/error")).as("not an API operation").isFalse();
    }

    @Test
    void aMissingStaticResourceIsA404Problem() {
        assertProblem(get("/assets/no-such-file.js", null), 404, "nothing at GET /assets/no-such-file.js");
        assertProblem(get("/demo-sites/acme/help/no-such-page", null), 404, "/demo-sites/acme/help/no-such-page");
        assertProblem(call("GET", "/no/such/page.html", null, null, Map.of("Accept", "text/html")), 404,
                "/no/such/page.html");
    }

    @Test
    void urlsTomcatRefusesAreProblems() throws IOException {
        // bad percent-encoding and characters a URL may not hold, which Tomcat refuses before any servlet runs
        for (String target : List.of("/api/ai/kb/sources/%zz", "/api/ai/kb/%", "/api/ai/kb/sources?q=<script>",
                "/api/ai/kb/sources/{id}", "/api/a|b", "/api/%00/x", "/api/ai/%5Ckb")) {
            RawResponse response = raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(response.status()).as(target + ": " + response).isEqualTo(400);
            assertThat(response.header("content-type")).as(target + ": " + response).startsWith(PROBLEM);
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("status").asInt()).as(target).isEqualTo(400);
            assertThat(problem.path("detail").asText()).as(target + ": " + response).containsAnyOf("Invalid URI",
                    "Invalid character found in the request target");
        }
    }

    @Test
    void urlsTheSecurityFirewallRefusesAreProblems() throws IOException {
        // a path parameter, a doubled slash, an encoded percent or dot
        for (String target : List.of("/api/ai/kb/sources;jsessionid=1", "/api//ai/kb/sources", "/api/ai/%25kb",
                "/api/ai/kb/%2e%2e/settings")) {
            RawResponse response = raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(response.status()).as(target + ": " + response).isEqualTo(400);
            assertThat(response.header("content-type")).as(target + ": " + response).startsWith(PROBLEM);
            assertThat(JSON.readTree(response.body()).path("detail").asText()).as(target + ": " + response)
                    .contains("potentially malicious String");
        }
    }

    @Test
    void headersOver8KiBAreAProblemEvenWithABodyBehindThem() throws IOException {
        RawResponse big = raw("GET /api/ai/settings HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(9_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(big.status()).as(big.toString()).isEqualTo(431);
        assertThat(big.header("content-type")).as(big.toString()).startsWith(PROBLEM);
        assertThat(JSON.readTree(big.body()).path("detail").asText()).as(big.toString())
                .isEqualTo("the request's headers take 9045 bytes (the largest, x-big, 9009); at most 8192 are accepted");

        String body = "{\"name\": \"Ana\"}";
        RawResponse withBody = raw("POST /api/crm/contacts HTTP/1.1\r\nHost: localhost\r\nCookie: " + "a".repeat(70_000)
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(withBody.status()).as(withBody.toString()).isEqualTo(431);
        assertThat(JSON.readTree(withBody.body()).path("detail").asText()).contains("the largest, cookie, 70010");
    }

    private record RawResponse(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    /** A request as bytes on a socket: what java.net.http would refuse to send. */
    private RawResponse raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] head = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
            }
            String body = text.substring(end + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = unchunk(body);
            }
            return new RawResponse(Integer.parseInt(head[0].split(" ")[1]), headers, body);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
