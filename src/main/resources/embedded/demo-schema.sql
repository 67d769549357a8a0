-- Example schema for the embedded default and the tests. Statements are split on semicolons.
CREATE DATABASE IF NOT EXISTS demo CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS demo.orders (
  id BIGINT NOT NULL PRIMARY KEY,
  customer VARCHAR(64) NOT NULL,
  amount DECIMAL(12,2) NOT NULL,
  created_at DATETIME(3) NOT NULL
);
CREATE USER IF NOT EXISTS 'sluice'@'%' IDENTIFIED BY 'sluice-demo-pw';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX ON demo.* TO 'sluice'@'%';
GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'sluice'@'%';
FLUSH PRIVILEGES;
CREATE TABLE IF NOT EXISTS demo.events (
  id BIGINT NOT NULL PRIMARY KEY,
  user_name VARCHAR(64) NOT NULL,
  user_level INT,
  amount DECIMAL(12,2),
  happened_at DATETIME(3),
  tags JSON,
  note VARCHAR(16)
);
CREATE TABLE IF NOT EXISTS demo.sls_events (
  request_id VARCHAR(64) NOT NULL PRIMARY KEY,
  log_time DATETIME NOT NULL,
  topic VARCHAR(64),
  source_ip VARCHAR(64),
  env VARCHAR(32),
  path VARCHAR(255),
  status INT,
  latency_ms DECIMAL(10,1)
)
