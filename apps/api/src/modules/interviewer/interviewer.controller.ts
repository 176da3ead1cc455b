import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FollowUp, FollowUpMarked, Note } from '@hatch/protocol';
import { JoinToken, JoinTokenAuth } from '../auth/join-token.decorator';
import { ParticipantAccessService } from '../session-events/participant-access.service';
import { SessionParamsDto } from '../sessions/session.dto';
import { InterviewerConsole, type Participant } from './interviewer-console.service';
import {
  AddNoteDto,
  FollowUpDto,
  FollowUpListDto,
  FollowUpParamsDto,
  InterviewerViewDto,
  type InterviewerView,
  MarkAnsweredDto,
  MarkedDto,
  NoteDto,
  NoteListDto,
  SendFollowUpDto,
  SuggestionsPageDto,
} from './interviewer.dto';
import { overHttp } from './interviewer-http-error';

const INTERVIEWER_ONLY = 'FORBIDDEN_ROLE: only the interviewer’s token (or another session’s token: TOKEN_WRONG_SESSION)';

/** The interviewer over REST: the human interviewer's console, and what every participant may know of the interviewer. */
@ApiTags('interviewer')
@JoinTokenAuth()
@ApiBadRequestResponse({ description: 'Malformed id or body (REQUEST_INVALID)' })
@ApiNotFoundResponse({ description: 'No such session (or follow-up: FOLLOWUP_NOT_FOUND)' })
@Controller('sessions')
export class InterviewerController {
  constructor(
    private readonly console: InterviewerConsole,
    private readonly access: ParticipantAccessService,
  ) {}

  @Get(':id/interviewer')
  @ApiOkResponse({ type: InterviewerViewDto, description: 'The session’s interviewer: offline or LLM, the LLM’s token use and latency, the open follow-up; suggestions for interviewer tokens' })
  @ApiForbiddenResponse({ description: 'Join token of another session' })
  async view(@Param() params: SessionParamsDto, @JoinToken() token: string | undefined): Promise<InterviewerView> {
    return overHttp(async () => this.console.view(await this.participant(params.id, token)));
  }

  @Get(':id/suggestions')
  @ApiOkResponse({ type: SuggestionsPageDto, description: 'The follow-ups the engine suggests now, best first (empty before the session starts)' })
  @ApiForbiddenResponse({ description: INTERVIEWER_ONLY })
  async suggestions(@Param() params: SessionParamsDto, @JoinToken() token: string | undefined) {
    return overHttp(async () => ({ sessionId: params.id, suggestions: await this.console.suggestions(await this.participant(params.id, token)) }));
  }

  @Get(':id/followups')
  @ApiOkResponse({ type: FollowUpListDto, description: 'Every follow-up asked, oldest first, with its status and answer' })
  @ApiForbiddenResponse({ description: 'Join token of another session' })
  async followUps(@Param() params: SessionParamsDto, @JoinToken() token: string | undefined) {
    return overHttp(async () => ({ sessionId: params.id, followUps: await this.console.followUps(await this.participant(params.id, token)) }));
  }

  @Post(':id/followups')
  @ApiCreatedResponse({ type: FollowUpDto, description: 'The follow-up, stored and sent to the room (a still open one is closed as superseded)' })
  @ApiForbiddenResponse({ description: INTERVIEWER_ONLY })
  @ApiConflictResponse({ description: 'SESSION_NOT_STARTED or SESSION_ENDED' })
  async send(@Param() params: SessionParamsDto, @Body() body: SendFollowUpDto, @JoinToken() token: string | undefined): Promise<FollowUp> {
    return overHttp(async () => this.console.sendFollowUp(await this.participant(params.id, token), body));
  }

  @Post(':id/followups/:followUpId/answered')
  @HttpCode(200)
  @ApiOkResponse({ type: MarkedDto, description: 'The follow-up, answered (changed: false when it was closed already)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN_ROLE: interviewer (marks it) or candidate (answers it, `answer` required)' })
  async answered(@Param() params: FollowUpParamsDto, @Body() body: MarkAnsweredDto, @JoinToken() token: string | undefined): Promise<FollowUpMarked> {
    return overHttp(async () => this.console.markAnswered(await this.participant(params.id, token), params.followUpId, body.answer));
  }

  @Post(':id/notes')
  @ApiCreatedResponse({ type: NoteDto, description: 'The private note, stored and sent to the session’s interviewers only' })
  @ApiForbiddenResponse({ description: INTERVIEWER_ONLY })
  async addNote(@Param() params: SessionParamsDto, @Body() body: AddNoteDto, @JoinToken() token: string | undefined): Promise<Note> {
    return overHttp(async () => this.console.addNote(await this.participant(params.id, token), body.text));
  }

  @Get(':id/notes')
  @ApiOkResponse({ type: NoteListDto, description: 'The private notes, oldest first' })
  @ApiForbiddenResponse({ description: INTERVIEWER_ONLY })
  async notes(@Param() params: SessionParamsDto, @JoinToken() token: string | undefined) {
    return overHttp(async () => ({ sessionId: params.id, notes: await this.console.notes(await this.participant(params.id, token)) }));
  }

  private async participant(sessionId: string, token: string | undefined): Promise<Participant> {
    const { participant } = await this.access.authorize(sessionId, token);
    return { sessionId, participantId: participant.id, role: participant.role, displayName: participant.displayName };
  }
}
