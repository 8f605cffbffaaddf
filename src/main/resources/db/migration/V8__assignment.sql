-- Tickets of automatically routed categories that found no agent with room; assigned oldest first when
-- an agent comes online or gets capacity back.
CREATE TABLE assignment_waiting
(
    ticket_id   UUID PRIMARY KEY,
    merchant_id UUID        NOT NULL REFERENCES merchant (id),
    category_id UUID        NOT NULL,
    waiting_since TIMESTAMPTZ NOT NULL
);
CREATE INDEX assignment_waiting_by_category_idx ON assignment_waiting (merchant_id, category_id, waiting_since);

-- The last agent a round-robin category gave a ticket to.
CREATE TABLE category_rotation
(
    category_id   UUID PRIMARY KEY,
    merchant_id   UUID NOT NULL REFERENCES merchant (id),
    last_agent_id UUID NOT NULL
);

CREATE INDEX agent_online_by_merchant_idx ON agent (merchant_id) WHERE availability = 'ONLINE';
