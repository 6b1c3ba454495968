// title: Data-quality checks
// description: Decisions without any citation, citations to unresolved guidelines, impossible or
//   inconsistent dates, and letters the parser warned about.
// :param example_count => 5
CALL () {
  MATCH (d:Decision) WHERE NOT (d)-[:CITES]->() RETURN 'decisions without citations' AS check, collect(d.decision_id) AS ids
  UNION ALL
  MATCH (g:Guideline {resolved: false})<-[:PART_OF]-(:GuidelineSection)<-[:CITES]-(d:Decision)
  RETURN 'citations to unresolved (OTHER) guidelines' AS check, collect(d.decision_id) AS ids
  UNION ALL
  MATCH (c:Case) WHERE c.injury_date > c.decision_date OR c.ur_decision_date > c.decision_date
  RETURN 'dates out of order (injury or UR after decision)' AS check, collect(c.letter_id) AS ids
  UNION ALL
  MATCH (c:Case) WHERE size(c.warnings) > 0 RETURN 'letters with parser warnings' AS check, collect(c.letter_id) AS ids
}
RETURN check, size(ids) AS count, ids[..toInteger($example_count)] AS examples
