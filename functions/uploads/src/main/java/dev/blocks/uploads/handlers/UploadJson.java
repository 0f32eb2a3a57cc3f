package dev.blocks.uploads.handlers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blocks.uploads.domain.Part;
import dev.blocks.uploads.domain.Upload;
import dev.blocks.uploads.store.SignedRequest;
import java.util.List;

/** The API's JSON views of uploads and files (times are ISO-8601 UTC). */
final class UploadJson {

    private UploadJson() {}

    static ObjectNode started(UploadWorkflow.Started started) {
        if (started instanceof UploadWorkflow.Deduplicated d) {
            return file(d.file()).put("deduplicated", true);
        }
        if (started instanceof UploadWorkflow.SinglePut s) {
            ObjectNode out = newUpload(s.upload());
            out.put("url", s.put().url());
            headers(out, s.put());
            return out;
        }
        if (started instanceof UploadWorkflow.FormPost f) {
            ObjectNode out = newUpload(f.upload());
            out.put("url", f.form().url());
            f.form().fields().forEach(out.putObject("fields")::put);
            return out;
        }
        UploadWorkflow.Multipart m = (UploadWorkflow.Multipart) started;
        ObjectNode out = newUpload(m.upload());
        out.put("partSize", m.plan().partSize());
        out.put("partCount", m.plan().partCount());
        partUrls(out.putArray("parts"), m.parts());
        return out;
    }

    private static ObjectNode newUpload(Upload upload) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("uploadId", upload.id().toString());
        out.put("fileId", upload.id().toString());
        out.put("key", upload.key());
        out.put("status", upload.status().name());
        out.put("method", upload.method().name());
        out.put("expiresAt", upload.expiresAt().toString());
        return out;
    }

    static ObjectNode partUrls(List<UploadWorkflow.PartUrl> parts) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        partUrls(out.putArray("parts"), parts);
        return out;
    }

    private static void partUrls(ArrayNode array, List<UploadWorkflow.PartUrl> parts) {
        for (UploadWorkflow.PartUrl part : parts) {
            ObjectNode p = array.addObject();
            p.put("partNumber", part.partNumber());
            p.put("size", part.size());
            p.put("method", part.request().method());
            p.put("url", part.request().url());
            headers(p, part.request());
            p.put("expiresAt", part.request().expiresAt().toString());
        }
    }

    private static void headers(ObjectNode out, SignedRequest request) {
        request.headers().forEach(out.putObject("headers")::put);
    }

    static ObjectNode progress(UploadWorkflow.Progress progress) {
        Upload upload = progress.upload();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("uploadId", upload.id().toString());
        out.put("fileId", upload.id().toString());
        out.put("status", upload.status().name());
        out.put("method", upload.method().name());
        out.put("filename", upload.filename());
        out.put("contentType", upload.contentType().toString());
        out.put("size", upload.size());
        upload.sha256().ifPresent(s -> out.put("sha256", s.hex()));
        out.put("createdAt", upload.createdAt().toString());
        out.put("expiresAt", upload.expiresAt().toString());
        out.put("updatedAt", upload.updatedAt().toString());
        upload.completedAt().ifPresent(t -> out.put("completedAt", t.toString()));
        upload.failure().ifPresent(f -> out.put("failure", f));
        upload.partPlan().ifPresent(plan -> {
            out.put("partSize", plan.partSize());
            out.put("partCount", plan.partCount());
        });
        ArrayNode parts = out.putArray("parts");
        for (Part part : progress.parts()) {
            parts.addObject().put("partNumber", part.partNumber()).put("size", part.size()).put("etag", part.eTag());
        }
        return out;
    }

    static ObjectNode file(Upload file) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("fileId", file.id().toString());
        out.put("status", file.status().name());
        out.put("filename", file.filename());
        out.put("contentType", file.contentType().toString());
        out.put("size", file.size());
        out.put("purpose", file.purpose());
        file.sha256().ifPresent(s -> out.put("sha256", s.hex()));
        out.put("sha256Verified", file.sha256Verified());
        file.eTag().ifPresent(tag -> out.put("etag", tag));
        out.put("createdAt", file.createdAt().toString());
        file.completedAt().ifPresent(t -> out.put("completedAt", t.toString()));
        return out;
    }
}
