package io.aidesk.app.problems;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.ExceptionUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;

/**
 * Tomcat's report for what it refuses before any servlet runs (a malformed request line, a header too large, a URL it
 * cannot decode): an RFC 9457 problem in place of its HTML page. It reports as ErrorReportValve does: once, and only
 * when nothing else wrote a body.
 */
public class ProblemErrorReportValve extends ErrorReportValve {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_DETAIL = 500;

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = status >= 500
                ? "AI Desk could not complete the request; the error is logged with its correlation id"
                : describe(response.getMessage(), throwable, title);
        try {
            StringWriter body = new StringWriter();
            try (JsonGenerator json = JSON.createGenerator(body)) {
                json.writeStartObject();
                json.writeStringField("type", "about:blank");
                json.writeStringField("title", title);
                json.writeNumberField("status", status);
                json.writeStringField("detail", detail);
                json.writeEndObject();
            }
            try {
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setCharacterEncoding("utf-8");
            } catch (Throwable t) {
                ExceptionUtils.handleThrowable(t);
            }
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body.toString());
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response was committed meanwhile: nothing more to tell it
        }
    }

    /** Tomcat's own words (Invalid URI, Request header is too large, Invalid character found…), kept short. */
    private static String describe(String message, Throwable throwable, String title) {
        String reason = message != null && !message.isBlank() ? message
                : throwable != null && throwable.getMessage() != null ? throwable.getMessage() : title;
        return reason.length() > MAX_DETAIL ? reason.substring(0, MAX_DETAIL) + "…" : reason;
    }
}
