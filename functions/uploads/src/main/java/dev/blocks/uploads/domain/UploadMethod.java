package dev.blocks.uploads.domain;

/**
 * How the bytes reach S3: one presigned PUT, one browser form POST under a signed policy, or a multipart upload
 * with a presigned URL per part.
 */
public enum UploadMethod {
    PUT, POST, MULTIPART
}
