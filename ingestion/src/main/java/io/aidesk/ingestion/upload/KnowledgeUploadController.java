package io.aidesk.ingestion.upload;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.knowledge.KnowledgeCommands.RegisterSource;
import io.aidesk.api.knowledge.KnowledgeQueries.SourceStats;
import io.aidesk.api.knowledge.KnowledgeQueries.SourceView;
import io.aidesk.api.knowledge.SourceStatus;
import io.aidesk.api.knowledge.SourceType;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.ingestion.index.KnowledgeFiles;
import io.aidesk.ingestion.parse.DocumentParser;
import io.aidesk.ingestion.parse.UnreadableDocumentException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Takes an uploaded file as a knowledge source. The file is read in full before anything is stored, so a corrupt,
 * encrypted, empty or mislabelled file is refused with its reason and leaves no source behind.
 */
@RestController
@RequestMapping("/api/ai/kb/sources")
class KnowledgeUploadController {
    private final CommandGateway commands;
    private final KnowledgeFiles files;

    KnowledgeUploadController(CommandGateway commands, KnowledgeFiles files) {
        this.commands = commands;
        this.files = files;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<SourceView> upload(@RequestParam(name = "type", required = false) String type,
                                      @RequestParam(name = "file", required = false) MultipartFile file, Caller caller) {
        if (!SourceType.FILE.equals(type)) {
            throw new InvalidCommandException("type", "a multipart upload has type=file; URLs are sent as JSON");
        }
        if (file == null) {
            throw new InvalidCommandException("file", "the upload has no 'file' part");
        }
        String name = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().strip();
        if (name.chars().anyMatch(Character::isISOControl)) {
            // a NUL cannot even be stored, and no real file name holds control characters
            throw new InvalidCommandException("file", "a file name has no control characters (such as NUL or a line break)");
        }
        DocumentParser.Kind kind = DocumentParser.kindOf(name).orElseThrow(() -> new InvalidCommandException("file",
                "'" + name + "' is not a supported file type; upload PDF, DOCX, DOC, TXT, MD or HTML"));
        byte[] content;
        try {
            content = file.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            DocumentParser.parse(content, kind, "file:" + name, name);
        } catch (UnreadableDocumentException e) {
            throw new InvalidCommandException("file", "'" + name + "' cannot be indexed: " + e.getMessage());
        }
        String tenant = caller.tenantId().value();
        String fileId = files.store(tenant, name, file.getContentType() == null ? "application/octet-stream"
                : file.getContentType(), content);
        String sourceId = UUID.randomUUID().toString();
        try {
            commands.sendAndWait(new RegisterSource(sourceId, SourceType.FILE, null, fileId, name, null,
                    UUID.randomUUID().toString()));
        } catch (RuntimeException e) {
            files.delete(tenant, fileId);
            throw e;
        }
        SourceView created = new SourceView(sourceId, SourceType.FILE, null, fileId, name, SourceStatus.QUEUED, null,
                null, Instant.now(), new SourceStats(0, 0, null, null, null, List.of()), null);
        return ResponseEntity.created(URI.create("/api/ai/kb/sources/" + sourceId)).body(created);
    }
}
