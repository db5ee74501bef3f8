import { describe, expect, it } from 'vitest';
import { installSnippet, parseRoute, paths, sectionOf } from './routes.ts';

describe('admin client routes', () => {
  it('parses every page and builds the same paths back', () => {
    expect(parseRoute('/admin/')).toEqual({ page: 'home' });
    expect(parseRoute(paths.section('p1', 'forms'))).toEqual({ page: 'forms', projectId: 'p1' });
    expect(parseRoute(paths.form('p1', null))).toEqual({ page: 'form', projectId: 'p1', formId: null });
    expect(parseRoute(paths.form('p1', 'f 2'))).toEqual({ page: 'form', projectId: 'p1', formId: 'f 2' });
    expect(parseRoute(paths.section('p1', 'leads'))).toEqual({ page: 'leads', projectId: 'p1' });
    expect(parseRoute(paths.lead('p1', 'l1'))).toEqual({ page: 'lead', projectId: 'p1', leadId: 'l1' });
    expect(parseRoute(paths.section('p1', 'integration'))).toEqual({ page: 'integration', projectId: 'p1' });
    expect(parseRoute(paths.section('p1', 'install'))).toEqual({ page: 'install', projectId: 'p1' });
    expect(parseRoute(paths.section('p1', 'privacy'))).toEqual({ page: 'privacy', projectId: 'p1' });
    expect(paths.section('p1', 'privacy')).toBe('/admin/p/p1/privacy');
    expect(parseRoute(paths.newProject())).toEqual({ page: 'new-project' });
    expect(parseRoute(paths.section('p1', 'project'))).toEqual({ page: 'project', projectId: 'p1' });
    expect(parseRoute('/admin/p/p1/project')).toEqual({ page: 'project', projectId: 'p1' });
    expect(parseRoute(paths.team())).toEqual({ page: 'team' });
    expect(parseRoute(paths.activity())).toEqual({ page: 'activity' });
    expect(parseRoute('/admin/p/p1/nothing').page).toBe('not-found');
    expect(parseRoute('/admin/p/%E0%A4%A/forms')).toEqual({ page: 'forms', projectId: '%E0%A4%A' });
  });

  it('maps each page to its navigation section', () => {
    expect(sectionOf({ page: 'lead', projectId: 'p', leadId: 'l' })).toBe('leads');
    expect(sectionOf({ page: 'form', projectId: 'p', formId: null })).toBe('forms');
    expect(sectionOf({ page: 'privacy', projectId: 'p' })).toBe('privacy');
    expect(sectionOf({ page: 'home' })).toBeNull();
  });

  it('writes the install tag the README shows', () => {
    expect(installSnippet('https://leads.example.com', 'abc123')).toBe(
      '<script async src="https://leads.example.com/s.js" data-project="abc123"></script>',
    );
  });
});
