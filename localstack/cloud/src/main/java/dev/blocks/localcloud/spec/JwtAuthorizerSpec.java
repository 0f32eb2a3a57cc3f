package dev.blocks.localcloud.spec;

import java.util.List;

/**
 * An API Gateway HTTP API JWT authorizer ({@code aws_apigatewayv2_authorizer} of type JWT): where the token is
 * ({@code $request.header.Authorization}, {@code $request.querystring.token}), which issuer signs it (its OIDC
 * discovery document names the key set) and the audiences it must be issued for.
 */
public record JwtAuthorizerSpec(String name, List<String> identitySources, String issuer, List<String> audiences) {

    public JwtAuthorizerSpec {
        identitySources = List.copyOf(identitySources);
        audiences = List.copyOf(audiences);
    }
}
