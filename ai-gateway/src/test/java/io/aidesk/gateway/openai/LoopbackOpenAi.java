package io.aidesk.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible server on loopback, speaking the real protocol of POST /v1/embeddings and
 * POST /v1/chat/completions. Its vectors are a real (if simple) embedding: hashed words, L2-normalised, so texts
 * that share words are close; it answers the data in reverse order, as the protocol allows, so clients must honour
 * each item's index. Chat completions answer what the test scripts, from the request it received.
 */
public final class LoopbackOpenAi implements AutoCloseable {
    public static final String API_KEY = "sk-loopback-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CHUNK_ID = Pattern.compile("\\[chunk_id: ([^\\]]+)\\]");

    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresToServe = new AtomicInteger();
    private final List<JsonNode> chatRequests = new CopyOnWriteArrayList<>();
    private volatile Function<JsonNode, Scripted> chat = request -> Scripted.error(503, "no script");

    /** What the chat endpoint answers: a status, the message content (or an error), after a delay. */
    public record Scripted(int status, String content, long delayMillis) {
        public static Scripted answer(String content) {
            return new Scripted(200, content, 0);
        }

        public static Scripted error(int status, String message) {
            return new Scripted(status, message, 0);
        }

        public static Scripted slow(long delayMillis) {
            return new Scripted(200, "{}", delayMillis);
        }
    }

    public LoopbackOpenAi() {
        try {
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/embeddings", this::embeddings);
        server.createContext("/v1/chat/completions", this::chatCompletions);
        // a slow answer must not hold up the next request
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The request bodies received, in order. */
    public List<JsonNode> requests() {
        return requests;
    }

    /** The chat completion request bodies received, in order. */
    public List<JsonNode> chatRequests() {
        return chatRequests;
    }

    /** How the chat endpoint answers from now on. */
    public void script(Function<JsonNode, Scripted> answer) {
        this.chat = answer;
    }

    /** The next n requests are answered 500, as an overloaded server would. */
    public void failNext(int n) {
        failuresToServe.set(n);
    }

    /** The embedding this server gives a text. */
    public static float[] embed(String text, int dimension) {
        float[] vector = new float[dimension];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                vector[Math.floorMod(word.hashCode(), dimension)] += 1;
            }
        }
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        if (norm > 0) {
            for (int i = 0; i < dimension; i++) {
                vector[i] /= (float) Math.sqrt(norm);
            }
        }
        return vector;
    }

    private void embeddings(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, error("method not allowed", "invalid_request_error"));
            return;
        }
        if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, error("Incorrect API key provided", "invalid_api_key"));
            return;
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        requests.add(body);
        if (failuresToServe.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(exchange, 500, error("The server had an error while processing your request", "server_error"));
            return;
        }
        int dimension = body.path("dimensions").asInt(1536);
        List<String> inputs = new ArrayList<>();
        body.path("input").forEach(input -> inputs.add(input.asText()));
        if (body.path("input").isTextual()) {
            inputs.add(body.path("input").asText());
        }
        ObjectNode response = JSON.createObjectNode().put("object", "list").put("model", body.path("model").asText());
        ArrayNode data = response.putArray("data");
        for (int i = inputs.size() - 1; i >= 0; i--) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            ArrayNode values = item.putArray("embedding");
            for (float v : embed(inputs.get(i), dimension)) {
                values.add(v);
            }
        }
        int tokens = inputs.stream().mapToInt(text -> text.split("\\s+").length).sum();
        response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        answer(exchange, 200, response);
    }

    private void chatCompletions(HttpExchange exchange) throws IOException {
        if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, error("Incorrect API key provided", "invalid_api_key"));
            return;
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        chatRequests.add(body);
        Scripted scripted = chat.apply(body);
        if (scripted.delayMillis() > 0) {
            try {
                Thread.sleep(scripted.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (scripted.status() != 200) {
            answer(exchange, scripted.status(), error(scripted.content(), scripted.status() == 429 ? "rate_limit_exceeded"
                    : "server_error"));
            return;
        }
        ObjectNode response = JSON.createObjectNode().put("id", "chatcmpl-" + chatRequests.size())
                .put("object", "chat.completion").put("created", System.currentTimeMillis() / 1000)
                .put("model", body.path("model").asText());
        ObjectNode choice = response.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putNull("logprobs");
        choice.putObject("message").put("role", "assistant").put("content", scripted.content()).putNull("refusal");
        int promptTokens = body.toString().split("\\s+").length;
        int completionTokens = scripted.content().split("\\s+").length;
        response.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        answer(exchange, 200, response);
    }

    /** The chunk ids a chat request offered the model, in order. */
    public static List<String> offeredChunkIds(JsonNode chatRequest) {
        List<String> ids = new ArrayList<>();
        for (JsonNode message : chatRequest.path("messages")) {
            Matcher matcher = CHUNK_ID.matcher(message.path("content").asText());
            while (matcher.find()) {
                ids.add(matcher.group(1));
            }
        }
        return ids;
    }

    private static JsonNode error(String message, String type) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("message", message).put("type", type).putNull("param").put("code", type);
        return root;
    }

    private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
