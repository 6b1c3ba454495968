// title: Reviewer specialty versus outcome
// description: Decisions and uphold rate by the IMR reviewer's board certification or specialty.
// :param min_decisions => 1
// columns: specialty:string, decisions:int64, upheld:int64, uphold_rate:float64,
//   uphold_rate_low:float64, uphold_rate_high:float64
// chart: mark=bar x=uphold_rate y=specialty
MATCH (s:Specialty)<-[:REVIEWER_SPECIALTY]-(:Case)-[:HAS_DECISION]->(d:Decision)
WITH s.name AS specialty, count(d) AS decisions, sum(CASE d.outcome WHEN 'UPHELD' THEN 1 ELSE 0 END) AS upheld
WHERE decisions >= $min_decisions
RETURN specialty, decisions, upheld, round(toFloat(upheld) / decisions, 3) AS uphold_rate,
       round((upheld + 1.959964^2 / 2
              - 1.959964 * sqrt(toFloat(upheld) * (decisions - upheld) / decisions + 1.959964^2 / 4))
             / (decisions + 1.959964^2), 3) AS uphold_rate_low,
       round((upheld + 1.959964^2 / 2
              + 1.959964 * sqrt(toFloat(upheld) * (decisions - upheld) / decisions + 1.959964^2 / 4))
             / (decisions + 1.959964^2), 3) AS uphold_rate_high
ORDER BY decisions DESC, specialty
