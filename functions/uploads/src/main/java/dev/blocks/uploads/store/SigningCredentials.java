package dev.blocks.uploads.store;

import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** The credentials presigned URLs and POST policies are signed with; a session token travels with them. */
record SigningCredentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {

    static SigningCredentials of(AwsCredentials credentials) {
        return new SigningCredentials(credentials.accessKeyId(), credentials.secretAccessKey(),
                credentials instanceof AwsSessionCredentials session ? Optional.of(session.sessionToken()) : Optional.empty());
    }
}
