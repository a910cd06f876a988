package io.aidesk.app.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.Arrays;
import java.util.List;

/**
 * A JSON endpoint refuses a body of any other type (multipart, text, a wildcard such as *&#47;*) with a 415 before
 * its body is read: otherwise a multipart body the filters already tried to parse reaches Jackson as an I/O error.
 */
@Component
class BodyMediaTypeInterceptor implements HandlerInterceptor, WebMvcConfigurer {
    private static final List<MediaType> JSON = List.of(MediaType.APPLICATION_JSON);

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotSupportedException {
        String type = request.getContentType();
        if (type == null || !(handler instanceof HandlerMethod method) || Arrays.stream(method.getMethodParameters())
                .noneMatch(parameter -> parameter.hasParameterAnnotation(RequestBody.class))) {
            return true;
        }
        MediaType media;
        try {
            media = MediaType.parseMediaType(type);
        } catch (InvalidMediaTypeException e) {
            throw new HttpMediaTypeNotSupportedException(type + " is not a media type", JSON);
        }
        boolean json = media.isConcrete() && (MediaType.APPLICATION_JSON.includes(media)
                || ("application".equals(media.getType()) && media.getSubtype().endsWith("+json")));
        if (!json) {
            throw new HttpMediaTypeNotSupportedException(media, JSON, HttpMethod.valueOf(request.getMethod()));
        }
        return true;
    }
}
