package dev.blocks.ratelimit.domain;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may manage rules: the owners an operator named, and nobody else. Closed by default: no names (unset, empty,
 * or only blanks) means nobody, so a deployment that forgot the setting refuses every caller instead of letting
 * every API-key holder rewrite every tenant's limits.
 */
public final class AdminOwners {

    private final Set<String> owners;

    private AdminOwners(Set<String> owners) {
        this.owners = owners;
    }

    /** From configuration ({@code admin-owners}); blank entries name nobody. */
    public static AdminOwners of(Optional<List<String>> configured) {
        return new AdminOwners(configured.orElse(List.of()).stream().map(String::trim).filter(o -> !o.isEmpty())
                .collect(Collectors.toUnmodifiableSet()));
    }

    public boolean allows(String owner) {
        return owner != null && owners.contains(owner);
    }

    /** Whether anyone at all may manage rules (for the refusal's wording). */
    public boolean anyone() {
        return !owners.isEmpty();
    }
}
