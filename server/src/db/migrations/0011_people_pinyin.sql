-- Names as Chinese users sort and search them (issue 7): 拼音 (pinyin) without tones, one space between
-- syllables ('wang xiao yan', so 万 wan sorts before 王 wang as in a dictionary), and the initials
-- ('wxy', what people type to find 王晓燕). SQL cannot spell a name: heteronym surnames (单 shàn,
-- 曾 zēng, 尉迟 yùchí) need a dictionary, so the application writes both whenever it writes a name
-- (modules/org/pinyin.ts). NULL means "not spelled yet": rows written before this migration, or by an
-- instance still running the previous version, which the application fills in when it starts, after
-- the migrations (fillMissingPinyin).
ALTER TABLE people ADD COLUMN name_pinyin text COLLATE "C";
ALTER TABLE people ADD COLUMN name_initials text COLLATE "C";

-- People lists in pinyin order, then employee number, byte order on every database: a page of the
-- people list reads its rows in index order instead of sorting the hospital.
CREATE INDEX people_pinyin_order_idx ON people (hospital_id, name_pinyin, employee_no COLLATE "C", id);

-- What the start-up fill looks for; empty once every name is spelled.
CREATE INDEX people_unspelled_idx ON people (id) WHERE name_pinyin IS NULL;
