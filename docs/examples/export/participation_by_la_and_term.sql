-- Participation by local authority and term: participations, the schools they came from,
-- and the share eligible for free school meals (pupil premium).
-- Run from the export folder: duckdb -c ".read participation_by_la_and_term.sql"
SELECT
    s.la_code,
    p.academic_year,
    p.term,
    sum(p.pupils) AS participations,
    count(DISTINCT p.urn) AS schools,
    round(100.0 * sum(p.pupil_premium) / nullif(sum(p.pupils), 0), 1) AS fsm_pct
FROM 'events/ParticipationRecorded.parquet' AS p
JOIN 'events/SchoolRegistered.parquet' AS s USING (urn)
GROUP BY s.la_code, p.academic_year, p.term
ORDER BY s.la_code, p.academic_year, p.term;
