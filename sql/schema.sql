-- Customer Support System schema for MySQL 8 / MariaDB 10.5+.
-- The same schema as dashboard/schema.py (the source of truth); a test loads both
-- into MariaDB and compares what the server reports, so the two cannot drift apart.
-- Load by hand:  mysql -u USER -p DBNAME < sql/schema.sql

CREATE TABLE `SENDER` (
    sender_id INTEGER NOT NULL AUTO_INCREMENT,
    sender_type VARCHAR(8) NOT NULL,
    PRIMARY KEY (sender_id),
    CONSTRAINT ck_sender_type CHECK (sender_type IN ('agent', 'customer'))
) ENGINE=InnoDB CHARSET=utf8mb4;

CREATE TABLE `CUSTOMER` (
    customer_id INTEGER NOT NULL AUTO_INCREMENT,
    sender_id INTEGER NOT NULL,
    customer_email_address VARCHAR(255) NOT NULL,
    customer_first_name VARCHAR(100) NOT NULL,
    customer_last_name VARCHAR(100) NOT NULL,
    customer_phone_no BIGINT,
    PRIMARY KEY (customer_id),
    CONSTRAINT fk_customer_sender FOREIGN KEY (sender_id) REFERENCES `SENDER` (sender_id),
    CONSTRAINT uq_customer_sender UNIQUE (sender_id),
    CONSTRAINT uq_customer_email UNIQUE (customer_email_address)
) ENGINE=InnoDB CHARSET=utf8mb4;

CREATE TABLE `AGENT` (
    agent_id INTEGER NOT NULL AUTO_INCREMENT,
    sender_id INTEGER NOT NULL,
    agent_email_address VARCHAR(255) NOT NULL,
    agent_first_name VARCHAR(100) NOT NULL,
    agent_last_name VARCHAR(100) NOT NULL,
    agent_phone_no BIGINT,
    PRIMARY KEY (agent_id),
    CONSTRAINT fk_agent_sender FOREIGN KEY (sender_id) REFERENCES `SENDER` (sender_id),
    CONSTRAINT uq_agent_sender UNIQUE (sender_id),
    CONSTRAINT uq_agent_email UNIQUE (agent_email_address)
) ENGINE=InnoDB CHARSET=utf8mb4;

CREATE TABLE `TICKET` (
    ticket_id INTEGER NOT NULL AUTO_INCREMENT,
    customer_id INTEGER NOT NULL,
    ticket_category VARCHAR(32) NOT NULL,
    ticket_rating SMALLINT,
    ticket_status VARCHAR(8) NOT NULL,
    PRIMARY KEY (ticket_id),
    CONSTRAINT ck_ticket_category CHECK (ticket_category IN ('Account access',
        'Bug report', 'Order cancellation', 'Overcharged transaction',
        'Undelivered goods', 'Wrong order')),
    CONSTRAINT ck_ticket_status CHECK (ticket_status IN ('open', 'resolved')),
    CONSTRAINT ck_ticket_rating CHECK (ticket_rating BETWEEN 1 AND 5),
    -- An open ticket has not been rated yet.
    CONSTRAINT ck_ticket_open_unrated CHECK (ticket_status = 'resolved' OR ticket_rating IS NULL),
    CONSTRAINT fk_ticket_customer FOREIGN KEY (customer_id) REFERENCES `CUSTOMER` (customer_id)
) ENGINE=InnoDB CHARSET=utf8mb4;

CREATE INDEX ix_ticket_customer ON `TICKET` (customer_id);
CREATE INDEX ix_ticket_status_category ON `TICKET` (ticket_status, ticket_category);

-- The spec's data dictionary forgets MESSAGE.ticket_id; every report query joins on it.
CREATE TABLE `MESSAGE` (
    message_id INTEGER NOT NULL AUTO_INCREMENT,
    ticket_id INTEGER NOT NULL,
    sender_id INTEGER NOT NULL,
    message_sent_time DATETIME NOT NULL,
    message_text TEXT NOT NULL,
    PRIMARY KEY (message_id),
    CONSTRAINT fk_message_ticket FOREIGN KEY (ticket_id) REFERENCES `TICKET` (ticket_id),
    CONSTRAINT fk_message_sender FOREIGN KEY (sender_id) REFERENCES `SENDER` (sender_id)
) ENGINE=InnoDB CHARSET=utf8mb4;

CREATE INDEX ix_message_ticket_time ON `MESSAGE` (ticket_id, message_sent_time, sender_id);
CREATE INDEX ix_message_sender_ticket ON `MESSAGE` (sender_id, ticket_id);
CREATE INDEX ix_message_time ON `MESSAGE` (message_sent_time);
