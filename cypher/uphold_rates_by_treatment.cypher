// title: Uphold rates by treatment
// description: Decisions and uphold rate per canonical treatment, most disputed first.
// :param min_decisions => 1
// :param first => 25
// param first: integer >= 0
// columns: treatment:string, decisions:int64, upheld:int64, uphold_rate:float64,
//   uphold_rate_low:float64, uphold_rate_high:float64
// chart: mark=bar x=uphold_rate y=treatment
MATCH (d:Decision)-[:FOR_TREATMENT]->(t:Treatment)
WITH t.name AS treatment, count(d) AS decisions, sum(CASE d.outcome WHEN 'UPHELD' THEN 1 ELSE 0 END) AS upheld
WHERE decisions >= $min_decisions
RETURN treatment, decisions, upheld, round(toFloat(upheld) / decisions, 3) AS uphold_rate,
       round((upheld + 1.959964^2 / 2
              - 1.959964 * sqrt(toFloat(upheld) * (decisions - upheld) / decisions + 1.959964^2 / 4))
             / (decisions + 1.959964^2), 3) AS uphold_rate_low,
       round((upheld + 1.959964^2 / 2
              + 1.959964 * sqrt(toFloat(upheld) * (decisions - upheld) / decisions + 1.959964^2 / 4))
             / (decisions + 1.959964^2), 3) AS uphold_rate_high
ORDER BY decisions DESC, treatment
LIMIT toInteger($first)
