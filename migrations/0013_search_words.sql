-- Search as you type (src/lib/search-query.ts): the last word of `q` is the start of a word.
-- A prefix (`hong:*`) makes GIN gather every document of every word with that start into a
-- bitmap before it can AND the other words in: ~1.5 ms at 100,000 articles, ~30 ms at
-- 1,000,000, where whole words take ~0.3 ms because GIN skips through the rarest posting list.
-- This table holds every word that has been in an article's search vector, so a prefix becomes
-- the few whole words that start with it (`hong | hongkong`). Words are never removed: a word
-- no article has any more costs one empty posting list in a query, and nothing else.
-- "C" collation: byte order, the order GIN compares prefixes in, and a range scan finds them.
CREATE TABLE "search_words" ("word" text COLLATE "C" PRIMARY KEY);
--> statement-breakpoint
-- Statement-level, with transition tables, so a bulk insert adds its words in one pass. New
-- words go in in byte order: two writers adding the same new words lock them in the same order
-- and cannot deadlock. An update adds only the words its new vector has and its old one lacks.
CREATE OR REPLACE FUNCTION public.toasoan_note_search_words() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO search_words (word)
      SELECT DISTINCT w COLLATE "C" FROM new_rows, unnest(tsvector_to_array(new_rows.search_vector)) AS w
      ORDER BY 1
      ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO search_words (word)
      SELECT DISTINCT d.w COLLATE "C" FROM new_rows n JOIN old_rows o ON o.id = n.id
        CROSS JOIN LATERAL (
          SELECT unnest(tsvector_to_array(n.search_vector)) EXCEPT SELECT unnest(tsvector_to_array(o.search_vector))
        ) AS d(w)
      WHERE n.search_vector IS DISTINCT FROM o.search_vector
      ORDER BY 1
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER articles_search_words_insert AFTER INSERT ON articles REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.toasoan_note_search_words();
--> statement-breakpoint
CREATE TRIGGER articles_search_words_update AFTER UPDATE ON articles REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.toasoan_note_search_words();
--> statement-breakpoint
CREATE TRIGGER article_live_search_words_insert AFTER INSERT ON article_live REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.toasoan_note_search_words();
--> statement-breakpoint
CREATE TRIGGER article_live_search_words_update AFTER UPDATE ON article_live REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.toasoan_note_search_words();
--> statement-breakpoint
INSERT INTO search_words (word)
  SELECT w COLLATE "C" FROM articles, unnest(tsvector_to_array(search_vector)) AS w
  UNION
  SELECT w COLLATE "C" FROM article_live, unnest(tsvector_to_array(search_vector)) AS w
  ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- The tsquery of `q`: `words` (all but the last word, already joined with &) and the last word,
-- a prefix. Up to 64 known words start with the prefix: it becomes their OR, which GIN answers by
-- skipping. More (a one- or two-letter prefix): the plain prefix, as before. The prefix goes
-- through to_tsquery like the other words, so both are normalised the same way.
CREATE OR REPLACE FUNCTION public.toasoan_search_query(words text, prefix text) RETURNS tsquery
  LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  typed tsquery;
  start text;
  known text[];
  any_of tsquery;
BEGIN
  IF prefix IS NULL OR prefix = '' THEN
    RETURN to_tsquery('simple', words);
  END IF;
  typed := to_tsquery('simple', concat_ws(' & ', nullif(words, ''), prefix || ':*'));
  -- The typed lexeme as to_tsquery normalised it, when the prefix is one lexeme.
  start := substring(to_tsquery('simple', prefix || ':*')::text FROM '^''([^'']*)'':\*$');
  IF start IS NULL OR start = '' THEN
    RETURN typed;
  END IF;
  SELECT array_agg(s.word) INTO known FROM (
    SELECT word FROM search_words WHERE word >= start AND word < start || chr(1114111) ORDER BY word LIMIT 65
  ) AS s;
  IF known IS NULL OR cardinality(known) > 64 THEN
    RETURN typed;
  END IF;
  -- Lexemes quoted as tsquery input wants them: quotes and backslashes doubled.
  any_of := (SELECT string_agg('''' || replace(replace(k, '\', '\\'), '''', '''''') || '''', ' | ') FROM unnest(known) AS k)::tsquery;
  IF words IS NULL OR words = '' THEN
    RETURN any_of;
  END IF;
  RETURN to_tsquery('simple', words) && any_of;
END $$;
