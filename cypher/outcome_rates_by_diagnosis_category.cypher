// title: Uphold rates by diagnosis category
// description: Decisions and uphold rate per ICD-10-CM category (M54, M51, S39, ...), by the stated
//   diagnoses (rule-outs, history and findings do not count).
// :param first => 25
// param first: integer >= 0
// columns: diagnosis:string, decisions:int64, upheld:int64, uphold_rate:float64,
//   uphold_rate_low:float64, uphold_rate_high:float64
// chart: mark=bar x=uphold_rate y=diagnosis
MATCH (c:Case)-[:HAS_DIAGNOSIS {status: 'stated'}]->(:Diagnosis)-[:IS_A*0..4]->(x:Diagnosis {level: 'category'})
MATCH (c)-[:HAS_DECISION]->(d:Decision)
WITH x.code + ' ' + x.name AS diagnosis, count(DISTINCT d) AS decisions,
     count(DISTINCT CASE WHEN d.outcome = 'UPHELD' THEN d END) AS upheld
RETURN diagnosis, decisions, upheld, round(toFloat(upheld) / decisions, 3) AS uphold_rate,
       round((upheld + 1.959964^2 / 2
              - 1.959964 * sqrt(toFloat(upheld) * (decisions - upheld) / decisions + 1.959964^2 / 4))
             / (decisions + 1.959964^2), 3) AS uphold_rate_low,
       round((upheld + 1.959964^2 / 2
              + 1.959964 * sqrt(toFloat(upheld) * (decisions - upheld) / decisions + 1.959964^2 / 4))
             / (decisions + 1.959964^2), 3) AS uphold_rate_high
ORDER BY decisions DESC, diagnosis
LIMIT toInteger($first)
