package io.aidesk.app.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The settings UI's client routes answer its index.html, so a reload or a pasted link opens the right screen. */
@Controller
class UiRoutes {

    @GetMapping({"/sign-in", "/inbox", "/settings/ai-desk", "/settings/ai-desk/", "/settings/ai-desk/{tab}"})
    String index() {
        return "forward:/index.html";
    }
}
