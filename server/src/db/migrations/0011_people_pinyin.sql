-- Names as Chinese users sort and search them (issue 7): 拼音 (pinyin) without tones, one space between
-- syllables ('wang xiao yan', so 万 wan sorts before 王 wang as in a dictionary), and the initials
-- ('wxy', what people type to find 王晓燕). SQL cannot spell a name: heteronym surnames (单 shàn,
-- 曾 zēng, 尉迟 yùchí) need a dictionary, so the application writes both whenever it writes a name
-- (modules/org/pinyin.ts). NULL means "not spelled yet": rows written before this migration, or by an
-- instance still running the previous version, which the application fills in when it starts, after
-- the migrations (fillMissingPinyin).
ALTER TABLE people ADD COLUMN name_pinyin text COLLATE "C";
ALTER TABLE people ADD COLUMN name_initials text COLLATE "C";

-- People lists in pinyin order, then employee number, byte order on every database.
CREATE INDEX people_pinyin_order_idx ON people (hospital_id, name_pinyin, employee_no COLLATE "C", id);

-- Search by name substring, employee number prefix, pinyin substring and initials prefix: trigram
-- indexes serve LIKE '%…%' as well as LIKE '…%'. pg_trgm ships with PostgreSQL (contrib, a trusted
-- extension since 13) and with PGlite (loaded in db/index.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX people_search_idx ON people USING gin (
  name gin_trgm_ops,
  employee_no gin_trgm_ops,
  (replace(name_pinyin, ' ', '')) gin_trgm_ops,
  name_initials gin_trgm_ops
);
CREATE INDEX people_unspelled_idx ON people (id) WHERE name_pinyin IS NULL;
