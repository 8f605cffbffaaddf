CREATE TABLE category
(
    id               UUID PRIMARY KEY,
    merchant_id      UUID        NOT NULL REFERENCES merchant (id),
    name             TEXT        NOT NULL,
    routing_strategy TEXT        NOT NULL CHECK (routing_strategy IN ('LOAD_BALANCED', 'ROUND_ROBIN', 'MANUAL')),
    ticket_count     BIGINT      NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX category_name_per_merchant_idx ON category (merchant_id, lower(name));

CREATE TABLE tag
(
    id           UUID PRIMARY KEY,
    merchant_id  UUID        NOT NULL REFERENCES merchant (id),
    name         TEXT        NOT NULL,
    ticket_count BIGINT      NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX tag_name_per_merchant_idx ON tag (merchant_id, lower(name));

CREATE TABLE ticket
(
    id                      UUID PRIMARY KEY,
    merchant_id             UUID        NOT NULL REFERENCES merchant (id),
    number                  BIGINT      NOT NULL,
    subject                 TEXT        NOT NULL,
    description             TEXT,
    requester_email         TEXT        NOT NULL,
    requester_name          TEXT,
    requester_external_id   TEXT,
    category_id             UUID REFERENCES category (id),
    tag_ids                 UUID[]      NOT NULL DEFAULT '{}',
    priority                TEXT        NOT NULL CHECK (priority IN ('LOW', 'MEDIUM', 'HIGH', 'URGENT')),
    status                  TEXT        NOT NULL CHECK (status IN ('OPEN', 'IN_PROGRESS', 'PENDING', 'RESOLVED', 'CLOSED')),
    assignee_id             UUID,
    assignment_reason       JSONB,
    context                 JSONB,
    metadata                JSONB       NOT NULL,
    enrichment              JSONB,
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL,
    first_response_at       TIMESTAMPTZ,
    resolved_at             TIMESTAMPTZ,
    closed_at               TIMESTAMPTZ,
    version                 BIGINT      NOT NULL,
    idempotency_key         TEXT,
    idempotency_fingerprint TEXT
);
CREATE UNIQUE INDEX ticket_number_per_merchant_idx ON ticket (merchant_id, number);
CREATE UNIQUE INDEX ticket_idempotency_key_idx ON ticket (merchant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ticket_by_merchant_created_idx ON ticket (merchant_id, created_at DESC, id);
CREATE INDEX ticket_by_status_idx ON ticket (merchant_id, status, created_at DESC);
CREATE INDEX ticket_by_assignee_idx ON ticket (merchant_id, assignee_id, created_at DESC) WHERE assignee_id IS NOT NULL;
CREATE INDEX ticket_by_category_idx ON ticket (merchant_id, category_id, created_at DESC) WHERE category_id IS NOT NULL;
CREATE INDEX ticket_by_requester_idx ON ticket (merchant_id, requester_email);
CREATE INDEX ticket_by_tag_idx ON ticket USING gin (tag_ids);

CREATE TABLE ticket_message
(
    id          UUID PRIMARY KEY,
    merchant_id UUID        NOT NULL REFERENCES merchant (id),
    ticket_id   UUID        NOT NULL REFERENCES ticket (id),
    author_type TEXT        NOT NULL CHECK (author_type IN ('CUSTOMER', 'AGENT', 'SYSTEM')),
    author_id   UUID,
    body        TEXT        NOT NULL,
    internal    BOOLEAN     NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX ticket_message_by_ticket_idx ON ticket_message (ticket_id, created_at, id);

-- Tickets whose category and tag counts were incremented: makes the TicketCreated listener idempotent.
CREATE TABLE ticket_counted
(
    ticket_id  UUID PRIMARY KEY,
    counted_at TIMESTAMPTZ NOT NULL
);
