package io.aidesk.app.problems;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.aidesk.api.FeatureDisabledException;
import io.aidesk.api.ForbiddenException;
import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.RateLimitedException;
import io.aidesk.api.StateConflictException;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.NotFoundException;
import io.aidesk.app.web.StrictJsonConfig;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.UrlPathHelper;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Every error the API gives is an RFC 9457 problem; a bad field is named the way the client spelled it. */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(InvalidCommandException.class)
    ProblemDetail invalid(InvalidCommandException e) {
        return fieldProblem(e.field(), e.getMessage());
    }

    @ExceptionHandler({NotFoundException.class, AggregateNotFoundException.class})
    ProblemDetail notFound(RuntimeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                e instanceof NotFoundException ? e.getMessage() : "not found");
        problem.setTitle("Not found");
        return problem;
    }

    /** Two nodes changed the same aggregate at once; the loser may simply retry. */
    @ExceptionHandler({ConcurrencyException.class, AggregateStreamCreationException.class})
    ProblemDetail conflict(RuntimeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "another change to the same record was made at the same time; send the request again");
        problem.setTitle("Concurrent change");
        return problem;
    }

    @ExceptionHandler(FeatureDisabledException.class)
    ProblemDetail disabled(FeatureDisabledException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Switched off");
        return problem;
    }

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
        problem.setTitle("Forbidden");
        return problem;
    }

    @ExceptionHandler(StateConflictException.class)
    ProblemDetail stateConflict(StateConflictException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Conflict");
        return problem;
    }

    @ExceptionHandler(RateLimitedException.class)
    ResponseEntity<ProblemDetail> rateLimited(RateLimitedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        problem.setTitle("Too many agent runs");
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds())).body(problem);
    }

    @ExceptionHandler(MissingTenantException.class)
    ProblemDetail missingTenant(MissingTenantException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("No tenant");
        return problem;
    }

    /** The firewall checks parameter names only when a handler reads them (a map of every parameter), inside MVC. */
    @ExceptionHandler(RequestRejectedException.class)
    ProblemDetail rejected(RequestRejectedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Request rejected");
        return problem;
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("unhandled error", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "AI Desk could not complete the request; the error is logged with its correlation id");
        problem.setTitle("Internal error");
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        Throwable cause = ex.getCause();
        ProblemDetail problem;
        if (cause instanceof StrictJsonConfig.NotUtf8Exception notUtf8) {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, notUtf8.getMessage());
            problem.setTitle("Malformed JSON");
        } else if (cause instanceof StrictJsonConfig.UnsafeTextException unsafe) {
            problem = fieldProblem(path(unsafe), unsafe.getOriginalMessage());
        } else if (cause instanceof InvalidNullException nulled) {
            problem = fieldProblem(path(nulled), "'" + path(nulled) + "' needs a value here; null is not one");
        } else if (cause instanceof UnrecognizedPropertyException unknown) {
            problem = fieldProblem(path(unknown), "unknown field '" + unknown.getPropertyName() + "'");
        } else if (cause instanceof InvalidFormatException format && isInteger(format.getTargetType())
                && format.getValue() instanceof Number) {
            problem = fieldProblem(path(format), "'" + path(format) + "' is a whole number, written without a decimal"
                    + " point or exponent; got " + format.getValue());
        } else if (cause instanceof InvalidFormatException format) {
            problem = fieldProblem(path(format), "'" + format.getValue() + "' is not a valid "
                    + describe(format.getTargetType()));
        } else if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                && mapping.getCause() instanceof InputCoercionException range) {
            problem = fieldProblem(path(mapping), "'" + path(mapping) + "' is out of range: "
                    + range.getOriginalMessage());
        } else if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            problem = fieldProblem(path(mismatch), "expected " + describe(mismatch.getTargetType()));
        } else if (cause instanceof JsonProcessingException parse && afterTheValue(parse)) {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "the body has content after the JSON value; send exactly one JSON object");
            problem.setTitle("Malformed JSON");
        } else if (duplicateKey(cause).isPresent()) {
            String field = duplicateKey(cause).get();
            problem = fieldProblem(field, "duplicate field '" + field + "': each key appears once in an object");
        } else if (cause instanceof MismatchedInputException mismatch) {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "the body must be a JSON object, not "
                    + (mismatch.getMessage().contains("from Array") ? "a list" : "a single value"));
            problem.setTitle("Malformed JSON");
        } else if (cause instanceof JsonProcessingException parse) {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "the body is not valid JSON: " + parse.getOriginalMessage());
            problem.setTitle("Malformed JSON");
        } else {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "the request needs a JSON body");
            problem.setTitle("Missing body");
        }
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
                                                                     HttpHeaders headers, HttpStatusCode status,
                                                                     WebRequest request) {
        String sent = ex.getContentType() == null ? "none" : "'" + ex.getContentType() + "'";
        String accepted = ex.getSupportedMediaTypes().isEmpty() ? "no body"
                : ex.getSupportedMediaTypes().stream().map(Object::toString).collect(Collectors.joining(", "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type " + sent + " is not accepted here; send " + accepted);
        problem.setTitle("Unsupported media type");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.UNSUPPORTED_MEDIA_TYPE, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
                                                                    HttpStatusCode status, WebRequest request) {
        // the path asked for, not the one under a resource handler's own prefix (/assets/… is served from /static/assets)
        String path = request instanceof ServletWebRequest servlet
                ? UrlPathHelper.defaultInstance.getPathWithinApplication(servlet.getRequest())
                : "/" + ex.getResourcePath();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "nothing at " + ex.getHttpMethod() + " " + path);
        problem.setTitle("Not found");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.NOT_FOUND, request);
    }

    /** A multipart body Tomcat or Spring cannot split into parts: no boundary, or a header of a part malformed. */
    @ExceptionHandler(MultipartException.class)
    ProblemDetail unreadableMultipart(MultipartException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // Tomcat's FileUploadException and Spring's ContentDisposition.parse say which only in their messages
        if (reason.contains("boundary")) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "the multipart body cannot be read: its Content-Type names no boundary");
            problem.setTitle("Malformed multipart body");
            return problem;
        }
        if (reason.toLowerCase(Locale.ROOT).contains("content disposition")
                || reason.toLowerCase(Locale.ROOT).contains("content-disposition")) {
            return fieldProblem("file", "a part's Content-Disposition header is malformed (" + reason
                    + "); a quote in a file name is sent as \\\"");
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "the multipart body cannot be read: " + reason);
        problem.setTitle("Malformed multipart body");
        return problem;
    }

    /** Content after the root value: Jackson's trailing-token check, or a syntax error once the root value closed. */
    private static boolean afterTheValue(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof JsonParser parser)) {
            return false;
        }
        JsonStreamContext context = parser.getParsingContext();
        JsonStreamContext root = context;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return root.getEntryCount() > 1 || (e instanceof JsonParseException && context.inRoot()
                && context.getEntryCount() == 1);
    }

    /**
     * The dotted path of a key STRICT_DUPLICATE_DETECTION found twice (Jackson names it only in its message); inside a
     * nested object the parser's exception comes wrapped in a mapping exception.
     */
    private static Optional<String> duplicateKey(Throwable cause) {
        while (cause != null && !(cause instanceof JsonParseException)) {
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        if (!(cause instanceof JsonParseException e) || e.getProcessor() == null
                || !e.getOriginalMessage().startsWith("Duplicate field")) {
            return Optional.empty();
        }
        JsonParser parser = e.getProcessor();
        Deque<String> names = new ArrayDeque<>();
        for (JsonStreamContext at = parser.getParsingContext(); at != null && !at.inRoot(); at = at.getParent()) {
            names.push(at.inArray() ? "[" + at.getCurrentIndex() + "]" : "." + at.getCurrentName());
        }
        return Optional.of(String.join("", names).replaceFirst("^\\.", ""));
    }

    private static boolean isInteger(Class<?> type) {
        return type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class;
    }

    private static ProblemDetail fieldProblem(String field, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid field: " + field);
        problem.setProperty("field", field);
        return problem;
    }

    /** The JSON path as the client wrote it: settings.allowed_tools[2]. */
    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == int.class || type == long.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean (true or false)";
        }
        if (type == String.class) {
            return "string";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "list";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "object";
        }
        return "object";
    }
}
