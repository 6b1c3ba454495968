// title: Near-duplicate letters: each case with the letters it replaced
// description: The same letter re-posted or edited (the same case number, or, with a case number
//   missing, the same decisions, injury date, patient and decision date or date assigned) is loaded as
//   one case, the newer letter kept (graph_loader/load/near_duplicates.py); one row per pair: the kept
//   case and its source, and the source of a letter it replaced.
// :param first => 100
// param first: integer >= 0
// columns: letter_id:string, case_number:string, decision_date:string, kept_source:string, superseded_source:string
MATCH (c:Case)
WHERE c.superseded_sources IS NOT NULL
UNWIND c.superseded_sources AS superseded_source
RETURN c.letter_id AS letter_id, c.case_number AS case_number, c.decision_date AS decision_date,
       c.source AS kept_source, superseded_source
ORDER BY letter_id, superseded_source
LIMIT toInteger($first)
