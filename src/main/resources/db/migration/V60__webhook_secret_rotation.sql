-- A rotated webhook secret keeps signing (as a second signature) until previous_webhook_secret_until.
ALTER TABLE merchant_settings
    ADD COLUMN previous_webhook_secret       TEXT,
    ADD COLUMN previous_webhook_secret_until TIMESTAMPTZ;
